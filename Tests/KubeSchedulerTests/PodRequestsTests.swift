import KubeModel
import Testing

@testable import KubeScheduler

@Suite struct PodRequestsTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var containers: [CoreV1.Container]
        var initContainers: [CoreV1.Container] = []
        var overhead: [String: Quantity]? = nil
        var milliCPU: Int64
        var memory: Int64
        var nonZeroMilliCPU: Int64
        var nonZeroMemory: Int64
    }

    static let mi: Int64 = 1024 * 1024
    static let cases: [Case] = [
        Case(description: "sum of containers",
             containers: [Make.container("a", cpu: "100m", memory: "100Mi"), Make.container("b", cpu: "200m", memory: "50Mi")],
             milliCPU: 300, memory: 150 * mi, nonZeroMilliCPU: 300, nonZeroMemory: 150 * mi),
        Case(description: "no requests: zero, defaults when non-zero",
             containers: [Make.container("a"), Make.container("b")],
             milliCPU: 0, memory: 0, nonZeroMilliCPU: 200, nonZeroMemory: 400 * mi),
        Case(description: "only cpu stated: memory default for non-zero",
             containers: [Make.container("a", cpu: "0")],
             milliCPU: 0, memory: 0, nonZeroMilliCPU: 0, nonZeroMemory: 200 * mi),
        Case(description: "init container larger than the sum",
             containers: [Make.container("a", cpu: "100m", memory: "100Mi")],
             initContainers: [Make.container("init", cpu: "500m", memory: "50Mi")],
             milliCPU: 500, memory: 100 * mi, nonZeroMilliCPU: 500, nonZeroMemory: 100 * mi),
        Case(description: "sidecar adds to the containers and to later init containers",
             containers: [Make.container("a", cpu: "100m", memory: "100Mi")],
             initContainers: [
                 Make.container("sidecar", cpu: "200m", memory: "200Mi", restartAlways: true),
                 Make.container("init", cpu: "250m", memory: "100Mi"),
             ],
             milliCPU: 450, memory: 300 * mi, nonZeroMilliCPU: 450, nonZeroMemory: 300 * mi),
        Case(description: "init container before the sidecar does not include it",
             containers: [Make.container("a", cpu: "100m", memory: "100Mi")],
             initContainers: [
                 Make.container("init", cpu: "1", memory: "10Mi"),
                 Make.container("sidecar", cpu: "200m", memory: "200Mi", restartAlways: true),
             ],
             milliCPU: 1000, memory: 300 * mi, nonZeroMilliCPU: 1000, nonZeroMemory: 300 * mi),
        Case(description: "sidecars accumulate",
             containers: [Make.container("a", cpu: "100m", memory: "100Mi")],
             initContainers: [
                 Make.container("s1", cpu: "100m", memory: "100Mi", restartAlways: true),
                 Make.container("s2", cpu: "100m", memory: "100Mi", restartAlways: true),
                 Make.container("init", cpu: "350m", memory: "10Mi"),
             ],
             milliCPU: 550, memory: 300 * mi, nonZeroMilliCPU: 550, nonZeroMemory: 300 * mi),
        Case(description: "overhead is added",
             containers: [Make.container("a", cpu: "100m", memory: "100Mi")],
             overhead: ["cpu": "250m", "memory": "120Mi"],
             milliCPU: 350, memory: 220 * mi, nonZeroMilliCPU: 350, nonZeroMemory: 220 * mi),
    ]

    @Test(arguments: cases)
    func requests(_ testCase: Case) {
        var spec = CoreV1.PodSpec()
        spec.containers = testCase.containers
        spec.initContainers = testCase.initContainers.isEmpty ? nil : testCase.initContainers
        spec.overhead = testCase.overhead
        let requests = PodRequests.compute(spec)
        #expect(requests.milliCPU == testCase.milliCPU)
        #expect(requests.memory == testCase.memory)
        let nonZero = PodRequests.compute(spec, nonZero: true)
        #expect(nonZero.milliCPU == testCase.nonZeroMilliCPU)
        #expect(nonZero.memory == testCase.nonZeroMemory)
    }

    @Test func extendedResourcesAndEphemeralStorage() {
        var spec = CoreV1.PodSpec()
        var container = Make.container("a")
        container.resources = CoreV1.ResourceRequirements(requests: [
            "example.com/gpu": "2", "ephemeral-storage": "1Gi", "hugepages-2Mi": "4Mi", "storage": "1Gi",
        ])
        spec.containers = [container]
        let requests = PodRequests.compute(spec)
        #expect(requests.scalarResources == ["example.com/gpu": 2, "hugepages-2Mi": 4 * 1024 * 1024])
        #expect(requests.ephemeralStorage == 1024 * 1024 * 1024)
    }
}
