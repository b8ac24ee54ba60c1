import Foundation
import Glibc

/// Ctrl-C during training: the first SIGINT only raises a flag that the loop checks after each
/// step (it then checkpoints and stops); a second one exits at once with status 130.
enum InterruptSignal {
    private static let notice = Array("\ninterrupted: finishing this step and writing a checkpoint (Ctrl-C again to quit now)\n".utf8)

    /// Whether SIGINT arrived since `install()`.
    static var isRequested: Bool { interruptCount > 0 }

    /// Installs the handler and returns the one it replaced, for `restore`.
    static func install() -> __sighandler_t? {
        interruptCount = 0
        _ = notice.count  // initialise the global outside the handler
        return signal(SIGINT, handleInterrupt)
    }

    static func restore(_ previous: __sighandler_t?) {
        signal(SIGINT, previous)
        interruptCount = 0
    }

    fileprivate static func writeNotice() {
        notice.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}

// Plain global state touched by the handler: only async-signal-safe work happens there.
private var interruptCount: Int32 = 0

private func handleInterrupt(_: Int32) {
    interruptCount += 1
    if interruptCount > 1 { _exit(130) }
    InterruptSignal.writeNotice()
}
