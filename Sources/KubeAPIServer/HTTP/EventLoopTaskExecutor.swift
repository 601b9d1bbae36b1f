import NIOCore

/// Runs a task's jobs on one NIO event loop. A request's task prefers the event loop that owns
/// its connection, so handling the request and writing the response stay on that thread
/// instead of hopping to Swift's cooperative pool and back for every request.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: EventLoop

    init(_ eventLoop: EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
