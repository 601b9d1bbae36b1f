import KubeClient
import KubeModel
import Testing

@Suite struct WrittenVersionsTests {
    func job(version: String?) -> BatchV1.Job {
        var job = BatchV1.Job()
        job.metadata.resourceVersion = version
        return job
    }

    @Test func aCacheOlderThanTheLastWriteIsStale() {
        let versions = WrittenVersions()
        #expect(!versions.isStale("ns/a", job(version: "5")))
        versions.record("ns/a", job(version: "10"))
        versions.record("ns/a", job(version: "8"))  // a late answer never lowers the mark
        #expect(versions.isStale("ns/a", job(version: "9")))
        #expect(!versions.isStale("ns/a", job(version: "10")))
        #expect(!versions.isStale("ns/a", job(version: "12")))
        #expect(!versions.isStale("ns/b", job(version: "1")))
        #expect(!versions.isStale("ns/a", job(version: "opaque")))
        versions.forget("ns/a")
        #expect(!versions.isStale("ns/a", job(version: "9")))
    }

    @Test func oneObjectsVersionTellsExactlyTheWrittenCopy() {
        var written = WrittenVersion()
        #expect(!written.isNewer(than: "1"))
        #expect(!written.isExactly("1"))
        written.record("7")
        written.record(nil)
        #expect(written.isNewer(than: "6"))
        #expect(written.isExactly("7"))
        #expect(!written.isExactly("8"))
        #expect(!written.isNewer(than: nil))
    }
}
