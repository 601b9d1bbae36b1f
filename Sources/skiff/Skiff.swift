import ArgumentParser

/// The one Skiff binary: control plane, node agent and CLI are subcommands.
@main
struct Skiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skiff",
        abstract: "Kubernetes, rebuilt in Swift, as one binary.",
        subcommands: [ServerCommand.self, HollowNodesCommand.self]
    )
}
