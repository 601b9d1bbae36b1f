import Foundation
import KubeClient
import Synchronization
import Testing

@Suite("Work queue")
struct WorkQueueTests {
    func makeQueue(clock: ManualClock = ManualClock(), base: Duration = .seconds(1)) -> WorkQueue<String> {
        WorkQueue(clock: clock, rateLimiter: ExponentialFailureRateLimiter<String>(base: base, maximum: .seconds(1000)))
    }

    @Test("adding an item already queued does nothing; items come out in order")
    func deduplicates() async throws {
        let queue = makeQueue()
        queue.add("a")
        queue.add("b")
        queue.add("a")
        #expect(queue.count == 2)
        #expect(await queue.get() == "a")
        #expect(await queue.get() == "b")
        #expect(queue.count == 0)
    }

    @Test("an item being processed is not handed out again until done, then comes back once")
    func noConcurrentProcessing() async throws {
        let queue = makeQueue()
        queue.add("a")
        let first = await queue.get()
        #expect(first == "a")
        queue.add("a")
        queue.add("a")
        #expect(queue.count == 0, "a key in progress must not be queued for a second worker")

        let second = Locked<String?>(nil)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let item = await queue.get()
                second.withLock { $0 = item }
            }
            try await Task.sleep(for: .milliseconds(50))
            #expect(second.withLock { $0 } == nil, "the second worker waits while a is processed")
            queue.done("a")
            try await group.waitForAll()
        }
        #expect(second.withLock { $0 } == "a")
        queue.done("a")
        #expect(queue.count == 0, "done without a re-add does not queue the item again")
    }

    @Test("an item not re-added while processed is gone after done")
    func doneWithoutReAdd() async {
        let queue = makeQueue()
        queue.add("a")
        _ = await queue.get()
        queue.done("a")
        queue.add("b")
        #expect(await queue.get() == "b")
    }

    @Test("per-item exponential back-off doubles from the base up to the cap, and forget resets it")
    func exponentialBackoff() {
        let limiter = ExponentialFailureRateLimiter<String>()
        #expect(limiter.when("x") == .milliseconds(5))
        #expect(limiter.when("x") == .milliseconds(10))
        #expect(limiter.when("x") == .milliseconds(20))
        #expect(limiter.when("y") == .milliseconds(5), "items back off independently")
        #expect(limiter.numRequeues("x") == 3)
        for _ in 0..<30 { _ = limiter.when("x") }
        #expect(limiter.when("x") == .seconds(1000))
        limiter.forget("x")
        #expect(limiter.numRequeues("x") == 0)
        #expect(limiter.when("x") == .milliseconds(5))
    }

    @Test("the token bucket allows a burst, then spaces requests at the rate")
    func tokenBucket() {
        let clock = ManualClock()
        let limiter = TokenBucketRateLimiter<String>(perSecond: 10, burst: 2, clock: clock)
        #expect(limiter.when("a") == .zero)
        #expect(limiter.when("b") == .zero)
        #expect(limiter.when("c") == .milliseconds(100))
        clock.advance(by: .seconds(1))
        #expect(limiter.when("d") == .zero)
    }

    @Test("addRateLimited holds an item back for its growing delay; forget starts over")
    func addRateLimited() async throws {
        let clock = ManualClock()
        let queue = makeQueue(clock: clock)
        queue.addRateLimited("x")
        #expect(queue.count == 0)
        #expect(queue.delayedCount == 1)
        clock.advance(by: .seconds(1))
        #expect(await queue.get() == "x")
        queue.done("x")

        queue.addRateLimited("x")  // second failure: 2 s
        clock.advance(by: .seconds(1))
        #expect(try await nextItem(queue, clock: clock, within: .milliseconds(50)) == nil)
        clock.advance(by: .seconds(1))
        #expect(await queue.get() == "x")
        queue.done("x")
        #expect(queue.numRequeues("x") == 2)
        queue.forget("x")
        #expect(queue.numRequeues("x") == 0)
    }

    @Test("addAfter wakes a waiting worker when the manual clock passes the delay")
    func addAfterWakesWaitingWorker() async throws {
        let clock = ManualClock()
        let queue = makeQueue(clock: clock)
        queue.addAfter("later", .seconds(10))
        queue.addAfter("later", .seconds(2))  // the earlier time wins
        let received = Locked<String?>(nil)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let item = await queue.get()
                received.withLock { $0 = item }
            }
            try await clock.waitForSleepers()
            clock.advance(by: .seconds(1))
            try await Task.sleep(for: .milliseconds(20))
            #expect(received.withLock { $0 } == nil)
            clock.advance(by: .seconds(1))
            try await group.waitForAll()
        }
        #expect(received.withLock { $0 } == "later")
        #expect(queue.delayedCount == 0, "the item was waiting once, not twice")
    }

    @Test("shutDown wakes waiting workers with nil, hands out what was queued, and ignores new items")
    func shutDown() async throws {
        let queue = makeQueue()
        let results = Locked<[String?]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let item = await queue.get()
                    results.withLock { $0.append(item) }
                }
            }
            try await Task.sleep(for: .milliseconds(30))
            queue.shutDown()
            try await group.waitForAll()
        }
        #expect(results.withLock { $0 } == [nil, nil])

        let draining = makeQueue()
        draining.add("queued")
        draining.shutDown()
        draining.add("ignored")
        #expect(draining.isShuttingDown)
        #expect(await draining.get() == "queued")
        #expect(await draining.get() == nil)
    }

    @Test("a worker waiting in get stops when its task is cancelled")
    func cancellation() async {
        let queue = makeQueue()
        let task = Task { await queue.get() }
        try? await Task.sleep(for: .milliseconds(20))
        task.cancel()
        #expect(await task.value == nil)
    }

    @Test("many workers never process the same key at once")
    func manyWorkers() async throws {
        let queue = WorkQueue<Int>(rateLimiter: ExponentialFailureRateLimiter<Int>())
        let active = Locked<Set<Int>>([])
        let overlaps = Locked(0)
        let processed = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while let key = await queue.get() {
                        let clash = active.withLock { !$0.insert(key).inserted }
                        if clash { overlaps.withLock { $0 += 1 } }
                        try? await Task.sleep(for: .microseconds(200))
                        _ = active.withLock { $0.remove(key) }
                        processed.withLock { $0 += 1 }
                        queue.done(key)
                    }
                }
            }
            for round in 0..<200 { queue.add(round % 5) ; if round % 20 == 0 { await Task.yield() } }
            while queue.count > 0 || active.withLock({ !$0.isEmpty }) { try? await Task.sleep(for: .milliseconds(5)) }
            queue.shutDown()
        }
        #expect(overlaps.withLock { $0 } == 0)
        #expect(processed.withLock { $0 } >= 5)
    }

    /// The next item if one becomes available within `within` (real time), else nil.
    private func nextItem(_ queue: WorkQueue<String>, clock: ManualClock, within: Duration) async throws -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask { await queue.get() }
            group.addTask {
                try? await Task.sleep(for: within)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
