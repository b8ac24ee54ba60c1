/// Consecutive items grouped so that each group, padded to its longest member, holds at most
/// `maxTokens` tokens (a longer item forms a group alone): the batches an embedding job runs,
/// usually over items sorted by length so little of each is padding.
public func batches<Item>(_ items: ArraySlice<Item>, maxTokens: Int, length: (Item) -> Int) -> [ArraySlice<Item>] {
    var groups: [ArraySlice<Item>] = []
    var start = items.startIndex
    while start < items.endIndex {
        var end = start + 1, longest = length(items[start])
        while end < items.endIndex {
            let candidate = max(longest, length(items[end]))
            guard candidate * (end - start + 1) <= maxTokens else { break }
            longest = candidate
            end += 1
        }
        groups.append(items[start..<end])
        start = end
    }
    return groups
}
