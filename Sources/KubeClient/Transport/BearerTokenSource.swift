import Foundation
import Synchronization

/// The bearer token to send: a fixed one, or one read from a file and re-read once a minute so
/// rotated service-account tokens are picked up (as client-go's cached file token source).
final class BearerTokenSource: Sendable {
    private struct Cached {
        var token: String?
        var readAt: Date?
    }

    private let fixed: String?
    private let file: String?
    private let refreshInterval: TimeInterval
    private let cache = Mutex(Cached())

    init(token: String?, file: String?, refreshInterval: TimeInterval = 60) {
        fixed = token
        self.file = file
        self.refreshInterval = refreshInterval
    }

    func token(now: Date = Date()) -> String? {
        if let fixed, !fixed.isEmpty { return fixed }
        guard let file else { return nil }
        return cache.withLock { cached in
            if let readAt = cached.readAt, now.timeIntervalSince(readAt) < refreshInterval { return cached.token }
            // A failed read keeps the last good token.
            if let data = FileManager.default.contents(atPath: file) {
                let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if !token.isEmpty { cached.token = token }
            }
            cached.readAt = now
            return cached.token
        }
    }
}
