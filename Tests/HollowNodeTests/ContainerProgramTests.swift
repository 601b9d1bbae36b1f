import HollowNode
import KubeModel
import Testing

@Suite struct ContainerProgramTests {
    @Test(arguments: [
        (["sh", "-c", "exit 0"], ContainerProgram.exits(code: 0, after: .zero)),
        (["sh", "-c", "exit 3"], .exits(code: 3, after: .zero)),
        (["/bin/sh", "-c", "exit 1"], .exits(code: 1, after: .zero)),
        (["bash", "-c", "  exit 42 "], .exits(code: 42, after: .zero)),
        (["sh", "-c", "exit 256"], .exits(code: 0, after: .zero)),
        (["true"], .exits(code: 0, after: .zero)),
        (["/bin/true"], .exits(code: 0, after: .zero)),
        (["false"], .exits(code: 1, after: .zero)),
        (["/usr/bin/false"], .exits(code: 1, after: .zero)),
        (["sh", "-c", "true"], .exits(code: 0, after: .zero)),
        (["sh", "-c", "false"], .exits(code: 1, after: .zero)),
        (["sh", "-c", "echo done; exit 0"], .exits(code: 0, after: .zero)),
        (["sh", "-c", "sleep 2; exit 5"], .exits(code: 5, after: .seconds(2))),
        (["sh", "-c", "sleep 1 && sleep 1.5"], .exits(code: 0, after: .milliseconds(2500))),
        (["sh", "-c", "false && exit 0"], .exits(code: 1, after: .zero)),
        (["sh", "-c", "false || exit 7"], .exits(code: 7, after: .zero)),
        (["sh", "-c", "true || exit 7"], .exits(code: 0, after: .zero)),
        (["sh", "-c", "false\nexit"], .exits(code: 1, after: .zero)),
        (["sleep", "5"], .exits(code: 0, after: .seconds(5))),
        // Servers and everything not recognised keep running.
        ([], .runsForever),
        (["nginx", "-g", "daemon off;"], .runsForever),
        (["sleep", "infinity"], .runsForever),
        (["sh", "-c", "sleep infinity"], .runsForever),
        (["sh", "-c", "while true; do sleep 1; done"], .runsForever),
        (["sh", "-c", "exit $CODE"], .runsForever),
        (["sh", "-c", "echo \"a; exit 1\""], .runsForever),
        (["sh", "-c", "yes | head"], .runsForever),
        (["sh", "-c", "exit -1"], .runsForever),
        (["sh", "-c", ""], .runsForever),
        (["sh", "-c", "&& exit 1"], .runsForever),
        (["sh", "exit 1"], .runsForever),
        (["exit", "1"], .runsForever),
    ] as [([String], ContainerProgram)])
    func recognizesPlainCompletions(argv: [String], expected: ContainerProgram) {
        #expect(ContainerProgram.recognize(argv) == expected)
    }

    @Test func commandAndArgsFormOneArgv() {
        var container = CoreV1Container.make(command: ["sh", "-c"], args: ["exit 3"])
        #expect(ContainerProgram.of(container) == .exits(code: 3, after: .zero))
        container = CoreV1Container.make(command: nil, args: ["sh", "-c", "exit 4"])
        #expect(ContainerProgram.of(container) == .exits(code: 4, after: .zero))
        container = CoreV1Container.make(command: nil, args: nil)
        #expect(ContainerProgram.of(container) == .runsForever)
    }
}

enum CoreV1Container {
    static func make(command: [String]?, args: [String]?, name: String = "main") -> CoreV1.Container {
        var container = CoreV1.Container()
        container.name = name
        container.image = "busybox:1.36"
        container.command = command
        container.args = args
        return container
    }
}
