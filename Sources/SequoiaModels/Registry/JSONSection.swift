import Foundation

/// Decodes the value under one top-level key of a JSON object, straight from the file's bytes
/// (no dictionary round trip): `try JSONSection<TrainingConfig>.decode(data, key: "training")`.
public struct JSONSection<Value: Decodable>: Decodable {
    public let value: Value?

    private static var keyInfo: CodingUserInfoKey { CodingUserInfoKey(rawValue: "sequoia.json-section")! }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        guard let key = decoder.userInfo[Self.keyInfo] as? String else {
            preconditionFailure("JSONSection is decoded through JSONSection.decode")
        }
        value = try decoder.container(keyedBy: Key.self).decodeIfPresent(Value.self, forKey: Key(stringValue: key))
    }

    /// The value under `key` of the object in `data`, or nil when the key is absent.
    public static func decode(_ data: Data, key: String, with decoder: JSONDecoder = JSONDecoder()) throws -> Value? {
        decoder.userInfo[keyInfo] = key
        return try decoder.decode(JSONSection<Value>.self, from: data).value
    }
}
