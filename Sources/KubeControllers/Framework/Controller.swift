/// A controller: registers its informer handlers when built and reconciles until its task is
/// cancelled.
public protocol Controller: Sendable {
    var name: String { get }
    func run() async throws
}
