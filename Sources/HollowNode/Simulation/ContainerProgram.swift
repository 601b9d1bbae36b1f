import KubeModel

/// What a hollow container "does": run until stopped, or finish with an exit code after some
/// time. Derived from the container's command and args, which is all a node without a runtime
/// can know about it.
public enum ContainerProgram: Sendable, Equatable {
    /// Runs until the pod is deleted (servers, `sleep infinity`, anything not recognised).
    case runsForever
    /// Exits with `exitCode` after `duration` of running.
    case exits(code: Int, after: Duration)

    /// The program of `container`. Only plain completions are recognised: `true`, `false`,
    /// `sleep N`, and a shell (`sh`, `/bin/sh`, `bash`, `ash` …) given `-c` with a script made of
    /// `exit [N]`, `true`, `false`, `:`, `sleep N` and `echo …`, joined by `;`, `&&`, `||` or newlines
    /// (`sh -c "exit 3"`, `sh -c "sleep 2; exit 1"`). The command and args are read as one argv, so
    /// `args: ["exit 3"]` after `command: ["sh", "-c"]` works too.
    public static func of(_ container: CoreV1.Container) -> ContainerProgram {
        recognize((container.command ?? []) + (container.args ?? []))
    }

    static let shells: Set<String> = ["sh", "bash", "ash", "dash", "zsh"]

    public static func recognize(_ argv: [String]) -> ContainerProgram {
        guard let first = argv.first else { return .runsForever }
        let program = first.split(separator: "/").last.map(String.init) ?? first
        if shells.contains(program) {
            guard argv.count >= 3, argv[1] == "-c" else { return .runsForever }
            return ShellScript.evaluate(argv[2]) ?? .runsForever
        }
        // A simple command with its arguments, as a one-statement script (`exit` is a shell
        // builtin, not a program).
        switch ShellScript.statement([program] + argv.dropFirst()) {
        case .finishes(let code, let duration)?: return .exits(code: code, after: duration)
        case .endless?, .exit?, nil: return .runsForever
        }
    }
}

/// The little of POSIX shell a completion script needs: statements split on `;`, newlines, `&&`
/// and `||`, each one of a handful of builtins. Anything else makes the script unrecognised.
enum ShellScript {
    /// What one statement does.
    enum Statement: Equatable {
        case finishes(code: Int, after: Duration)
        /// `sleep infinity`: the container keeps running.
        case endless
        case exit(code: Int?)
    }

    private enum Separator { case sequence, and, or }

    static func evaluate(_ script: String) -> ContainerProgram? {
        guard let statements = split(script) else { return nil }
        var status = 0
        var elapsed = Duration.zero
        var skipping = false
        for (words, separatorBefore) in statements {
            guard let statement = statement(words) else { return nil }
            switch separatorBefore {
            case .sequence: skipping = false
            case .and: skipping = skipping || status != 0
            case .or: skipping = skipping || status == 0
            }
            if skipping { continue }
            switch statement {
            case .finishes(let code, let duration):
                status = code
                elapsed += duration
            case .endless: return .runsForever
            case .exit(let code): return .exits(code: code ?? status, after: elapsed)
            }
        }
        return .exits(code: status, after: elapsed)
    }

    /// One builtin with its arguments; nil for anything not recognised.
    static func statement(_ words: [String]) -> Statement? {
        guard let first = words.first else { return nil }
        let name = first.split(separator: "/").last.map(String.init) ?? first
        switch name {
        case "true", ":": return .finishes(code: 0, after: .zero)
        case "false": return .finishes(code: 1, after: .zero)
        case "echo": return .finishes(code: 0, after: .zero)
        case "exit":
            guard words.count <= 2 else { return nil }
            guard words.count == 2 else { return .exit(code: nil) }
            guard let code = Int(words[1]), code >= 0 else { return nil }
            return .exit(code: code & 0xFF)
        case "sleep":
            guard words.count == 2 else { return nil }
            if words[1] == "infinity" { return .endless }
            let text = words[1].hasSuffix("s") ? String(words[1].dropLast()) : words[1]
            guard let seconds = Double(text), seconds >= 0, seconds.isFinite else { return nil }
            return .finishes(code: 0, after: .milliseconds(Int64((seconds * 1000).rounded())))
        default: return nil
        }
    }

    /// Statements with the separator before each; nil when the script uses quoting, pipes,
    /// redirections, substitutions or other syntax a plain completion does not need.
    private static func split(_ script: String) -> [([String], Separator)]? {
        if script.contains(where: { "\"'`$<>(){}\\*?[]".contains($0) }) { return nil }
        var statements: [([String], Separator)] = []
        var words: [String] = []
        var word = ""
        var separator = Separator.sequence
        var characters = Array(script)[...]
        func endWord() {
            if !word.isEmpty { words.append(word) }
            word = ""
        }
        func endStatement(_ next: Separator) -> Bool {
            endWord()
            if words.isEmpty {
                // `a && && b` or a leading `&&` is a syntax error; empty `;` statements are not.
                if next != .sequence || separator != .sequence { return false }
            } else {
                statements.append((words, separator))
            }
            words = []
            separator = next
            return true
        }
        while let character = characters.popFirst() {
            switch character {
            case " ", "\t": endWord()
            case ";", "\n": guard endStatement(.sequence) else { return nil }
            case "&", "|":
                // Only `&&` and `||`: background jobs and pipes are not plain completions.
                guard characters.first == character else { return nil }
                characters.removeFirst()
                guard endStatement(character == "&" ? .and : .or) else { return nil }
            default: word.append(character)
            }
        }
        endWord()
        if words.isEmpty {
            guard separator == .sequence else { return nil }
        } else {
            statements.append((words, separator))
        }
        return statements.isEmpty ? nil : statements
    }
}
