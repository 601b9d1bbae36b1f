/// Runs many independent writes in growing batches (upstream's slowStartBatch): one, then two,
/// four… at once, stopping after the first batch with a failure, so a request the API server
/// refuses costs one call rather than hundreds.
enum SlowStart {
    struct Outcome {
        var successes = 0
        var errors: [any Error] = []
    }

    /// Calls `operation` with the indices 0..<count.
    static func run(_ count: Int, initialBatch: Int = 1,
                    _ operation: @escaping @Sendable (Int) async throws -> Void) async -> Outcome {
        var outcome = Outcome()
        var next = 0
        var batch = max(1, initialBatch)
        while next < count {
            let range = next..<min(count, next + batch)
            let errors = await withTaskGroup(of: (any Error)?.self) { group in
                for index in range {
                    group.addTask {
                        do {
                            try await operation(index)
                            return nil
                        } catch {
                            return error
                        }
                    }
                }
                var errors: [any Error] = []
                for await error in group { if let error { errors.append(error) } }
                return errors
            }
            outcome.successes += range.count - errors.count
            next = range.upperBound
            if !errors.isEmpty {
                outcome.errors = errors
                return outcome
            }
            batch *= 2
        }
        return outcome
    }
}
