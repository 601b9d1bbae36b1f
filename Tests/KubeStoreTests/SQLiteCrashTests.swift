import Foundation
import Synchronization
import Testing
@testable import KubeStore

/// Durability across kill -9: the test re-runs its own test binary as a child that writes to a store and
/// reports each write the store acknowledged, kills it mid-stream, then reopens the store.
@Suite("SQLite store crash durability")
struct SQLiteCrashTests {
    static let childEnvironmentKey = "SKIFF_STORE_CRASH_CHILD"
    static let childDatabasePath = ProcessInfo.processInfo.environment[childEnvironmentKey]

    @Test("every acknowledged write survives kill -9 and revisions continue upward",
          .enabled(if: childDatabasePath == nil), .timeLimit(.minutes(1)))
    func acknowledgedWritesSurviveKill() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "writeUntilKilled"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.childEnvironmentKey: directory.databasePath]) { $1 }
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        let received = Mutex([UInt8]())
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            received.withLock { $0.append(contentsOf: data) }
        }
        try child.run()

        let acknowledged = { Self.acknowledgedWrites(in: received.withLock { $0 }) }
        let deadline = ContinuousClock.now + .seconds(30)
        while acknowledged().count < 300, child.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        received.withLock { $0.append(contentsOf: output.fileHandleForReading.readDataToEndOfFile()) }
        let writes = acknowledged()
        try #require(writes.count >= 300, "the child acknowledged only \(writes.count) writes before exiting")
        #expect(child.terminationReason == .uncaughtSignal)

        let store = try SQLiteStore(path: directory.databasePath, options: .forTests)
        let revision = try await store.currentRevision()
        #expect(revision >= writes.map(\.revision).max()!)
        for write in writes {
            #expect(try await store.get(write.key)?.modRevision == write.revision, "lost \(write.key)")
        }
        // History has no gap, and the next write continues after the recovered revision.
        let history = try await collect(Int(revision - 1), from: store.watch(prefix: "/crash/", afterRevision: 1))
        #expect(areContiguous(history.map(\.revision), from: 2))
        #expect(try await store.create("/after-crash", value: []).modRevision == revision + 1)
        await store.close()
    }

    /// The child: writes from 8 tasks until killed (or 30 s pass), printing "ok <key> <revision>" for each
    /// acknowledged write with a direct write(2), so nothing sits in a buffer when the kill comes.
    @Test(.enabled(if: childDatabasePath != nil))
    func writeUntilKilled() async throws {
        let store = try SQLiteStore(path: try #require(Self.childDatabasePath), options: .forTests)
        let deadline = ContinuousClock.now + .seconds(30)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    var index = 0
                    while ContinuousClock.now < deadline {
                        let key = "/crash/\(writer)/\(index)"
                        let written = try await store.create(key, value: bytes(String(repeating: "x", count: 200)))
                        FileHandle.standardOutput.write(Data("ok \(key) \(written.modRevision)\n".utf8))
                        index += 1
                    }
                }
            }
            try await group.waitForAll()
        }
        await store.close()
    }

    private static func acknowledgedWrites(in output: [UInt8]) -> [(key: String, revision: Int64)] {
        String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0] == "ok", let revision = Int64(fields[2]) else { return nil }
            return (String(fields[1]), revision)
        }
    }
}
