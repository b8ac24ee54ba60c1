import Testing
@testable import Video

struct FrameSamplingTests {
    @Test func everyKthKeepsMultiplesOfK() {
        var sampler = FrameSampling.everyKth(3).makeSampler()
        let kept = (0..<10).filter { sampler.keeps(index: $0, seconds: Double($0) / 25) }
        #expect(kept == [0, 3, 6, 9])
    }

    @Test func perSecondFollowsPresentationTimeUnderVariableFrameRate() {
        // 25 fps for a second, then 10 fps: at 5 frames/s the sampled times stay 0.2 s apart.
        let times = (0..<25).map { Double($0) / 25 } + (0..<10).map { 1 + Double($0) / 10 }
        var sampler = FrameSampling.perSecond(5).makeSampler()
        let kept = times.enumerated().filter { sampler.keeps(index: $0.offset, seconds: $0.element) }.map(\.element)
        #expect(kept.count == 10)
        for (a, b) in zip(kept, kept.dropFirst()) { #expect(abs((b - a) - 0.2) < 0.021) }
    }

    @Test func perSecondSkipsTheTargetsAGapJumps() {
        var sampler = FrameSampling.perSecond(10).makeSampler()
        let times = [0.0, 0.1, 0.55, 0.6, 0.7]
        let kept = times.enumerated().filter { sampler.keeps(index: $0.offset, seconds: $0.element) }.map(\.element)
        #expect(kept == [0.0, 0.1, 0.55, 0.6, 0.7])
    }
}
