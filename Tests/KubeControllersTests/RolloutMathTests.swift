import Testing
@testable import KubeControllers
import KubeModel

@Suite("Rollout arithmetic")
struct RolloutMathTests {
    @Test("int-or-percent values scale as upstream rounds them",
          arguments: [
              (IntOrString.int(2), 10, true, 2), (.string("25%"), 10, true, 3), (.string("25%"), 10, false, 2),
              (.string("100%"), 7, false, 7), (.string("0%"), 5, true, 0), (.string("1%"), 1, true, 1),
          ])
    func scaled(value: IntOrString, total: Int, roundUp: Bool, expected: Int) {
        #expect(RolloutMath.scaled(value, total: total, roundUp: roundUp, default: "25%") == expected)
    }

    static func deployment(replicas: Int, surge: IntOrString? = nil, unavailable: IntOrString? = nil, recreate: Bool = false) -> AppsV1.Deployment {
        var deployment = AppsV1.Deployment()
        deployment.spec.replicas = replicas
        var strategy = AppsV1.DeploymentStrategy(type: recreate ? "Recreate" : "RollingUpdate")
        if !recreate { strategy.rollingUpdate = AppsV1.RollingUpdateDeployment(maxSurge: surge, maxUnavailable: unavailable) }
        deployment.spec.strategy = strategy
        return deployment
    }

    @Test("fenceposts default to 25% and never both zero")
    func fenceposts() {
        #expect(RolloutMath.fenceposts(Self.deployment(replicas: 4)) == (1, 1))
        #expect(RolloutMath.fenceposts(Self.deployment(replicas: 10)) == (3, 2))
        #expect(RolloutMath.fenceposts(Self.deployment(replicas: 3, surge: 0, unavailable: 0)) == (0, 1))
        #expect(RolloutMath.fenceposts(Self.deployment(replicas: 3, recreate: true)) == (0, 0))
    }

    static func replicaSet(_ replicas: Int) -> AppsV1.ReplicaSet {
        var replicaSet = AppsV1.ReplicaSet()
        replicaSet.spec.replicas = replicas
        return replicaSet
    }

    @Test("the new ReplicaSet grows only within maxSurge",
          arguments: [
              // (desired, maxSurge, old replicas, new replicas, expected new replicas)
              (4, 1, 4, 0, 1), (4, 1, 3, 1, 2), (4, 1, 0, 4, 4), (10, 3, 10, 0, 3), (4, 0, 4, 0, 0), (2, 5, 2, 0, 2),
          ])
    func newReplicas(desired: Int, surge: Int, old: Int, new: Int, expected: Int) {
        let deployment = Self.deployment(replicas: desired, surge: .int(surge), unavailable: .int(1))
        let newSet = Self.replicaSet(new)
        #expect(RolloutMath.newReplicaSetReplicas(deployment, all: [Self.replicaSet(old), newSet], new: newSet) == expected)
    }
}

@Suite("Pod template hash")
struct PodTemplateHashTests {
    @Test("same template, same hash; another template or a collision count, another hash")
    func stable() {
        let template = ControllerTestCluster.template(app: "web")
        let hash = PodTemplateHash.of(template, collisionCount: nil)
        #expect(hash == PodTemplateHash.of(template, collisionCount: nil))
        #expect(hash != PodTemplateHash.of(ControllerTestCluster.template(app: "web", image: "busybox:2"), collisionCount: nil))
        #expect(hash != PodTemplateHash.of(template, collisionCount: 1))
        #expect(hash.allSatisfy { ShortHash.alphabet.contains($0) })
        #expect((6...10).contains(hash.count))
    }

    @Test("the hash label does not count when templates are compared")
    func withoutHash() {
        var labelled = ControllerTestCluster.template(app: "web")
        labelled.metadata.labels?[PodTemplateHash.label] = "abc"
        #expect(PodTemplateHash.withoutHash(labelled) == PodTemplateHash.withoutHash(ControllerTestCluster.template(app: "web")))
    }
}
