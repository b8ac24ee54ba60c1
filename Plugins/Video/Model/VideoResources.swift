import Foundation
import SequoiaKit

/// What ships inside the plugin's resource bundle: the frame encoder's weights and the default model.
public enum VideoResources {
    public static let encoderFolder = "mobilenetv2_imagenet"
    public static let defaultModelFolder = "default_model"

    /// The bundled folder `name` (SwiftPM copies Plugins/Video/Resources next to the executable).
    public static func folder(_ name: String) throws -> URL {
        let url = Bundle.module.bundleURL.appendingPathComponent("Resources").appendingPathComponent(name)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandError("\(url.path): the video plugin's bundled \(name) is missing (rebuild with swift build)")
        }
        return url
    }
}
