/// The Home Assistant releases that change where the http settings live (see the reference notes).
public enum HomeAssistantVersions {
    /// The first release that moves `http:` into `.storage/http` (PR core#171177).
    public static let storageMode = "2026.8.0"
    /// The release from which an `http:` block in configuration.yaml stops working, as its repairs say.
    public static let yamlRemoval = "2027.2.0"
}
