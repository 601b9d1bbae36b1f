/// The short hashes controllers put in names and labels (`pod-template-hash`, ControllerRevision
/// names): a 32-bit FNV-1a hash of some bytes and of the owner's collision count, when it has
/// one, its decimal digits written in upstream's safe alphabet (rand.SafeEncodeString) so that
/// names never spell words.
public enum ShortHash {
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    public static func of(_ bytes: some Sequence<UInt8>, collisionCount: Int?) -> String {
        var hash: UInt32 = 2_166_136_261
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt32(byte)
                hash = hash &* 16_777_619
            }
        }
        mix(bytes)
        if let collisionCount { mix(String(collisionCount).utf8) }
        return String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
    }
}
