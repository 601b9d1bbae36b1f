import Foundation
import KubeModelGenerator
import Testing

@testable import KubeModel

/// The generator that turns upstream proto and deepcopy sources into the field table, on a small
/// made-up API group.
@Suite struct ProtobufTableGeneratorTests {
    static let swagger = #"""
        {"definitions": {
          "io.k8s.api.core.v1.Widget": {
            "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
              "count": {"type": "integer"}, "size": {"type": "integer"}, "name": {"type": "string"},
              "apiGroup": {"type": "string"}, "tags": {"type": "array"}, "blobs": {"type": "object"},
              "holder": {"$ref": "#/definitions/io.k8s.api.core.v1.Holder"}},
            "required": ["name"],
            "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "Widget"}]},
          "io.k8s.api.core.v1.Holder": {"properties": {"name": {"type": "string"}, "optional": {"type": "boolean"}}},
          "io.k8s.api.core.v1.LocalObjectReference": {"properties": {"name": {"type": "string"}}}
        }}
        """#

    static let proto = #"""
        // A comment with "quotes" // and slashes.
        syntax = "proto2";

        package k8s.io.api.core.v1;

        import "k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto";

        /* a block
           comment */
        message Widget {
          // count is a pointer in Go.
          optional int32 count = 2;
          optional int32 size = 3;
          optional string name = 1;
          optional string aPIGroup = 4;
          repeated string tags = 5;
          map<string, bytes> blobs = 6;
          optional Holder holder = 7;
          optional string gone = 8;
        }

        message Holder {
          optional LocalObjectReference localObjectReference = 1;
          optional bool optional = 2;
        }

        message LocalObjectReference {
          optional string name = 1;
        }
        """#

    static let deepcopy = """
        func (in *Widget) DeepCopyInto(out *Widget) {
        \t*out = *in
        \tif in.Count != nil {
        \t\tin, out := &in.Count, &out.Count
        \t\t*out = new(int32)
        \t\t**out = **in
        \t}
        \tif in.Tags != nil {
        \t\tin, out := &in.Tags, &out.Tags
        \t\t*out = make([]string, len(*in))
        \t\tcopy(*out, *in)
        \t}
        \treturn
        }

        func (in *Holder) DeepCopyInto(out *Holder) {
        \t*out = *in
        \tif in.Optional != nil {
        \t\tin, out := &in.Optional, &out.Optional
        \t\t*out = new(bool)
        \t\t**out = **in
        \t}
        \treturn
        }
        """

    /// OpenAPI v3 marks fields without omitempty with their zero value as default.
    static let openAPIV3 = #"""
        {"components": {"schemas": {"io.k8s.api.core.v1.Widget": {"properties": {
          "size": {"type": "integer", "default": 0}, "apiGroup": {"type": "string", "default": "apps"}}}}}}
        """#

    func generated() throws -> (text: String, notes: [String]) {
        try ProtobufFieldTableGenerator().generate(
            swagger: Data(Self.swagger.utf8),
            openAPIV3: [Data(Self.openAPIV3.utf8)],
            sources: [
                "k8s.io/api/core/v1/generated.proto": Self.proto,
                "k8s.io/api/core/v1/zz_generated.deepcopy.go": Self.deepcopy,
            ])
    }

    /// The table text between the raw string delimiters of the generated Swift file.
    func tableText(_ file: String) throws -> String {
        let start = try #require(file.range(of: "#\"\"\"\n"))
        let end = try #require(file.range(of: "\"\"\"#", range: start.upperBound..<file.endIndex))
        return String(file[start.upperBound..<end.lowerBound])
    }

    @Test func tableLines() throws {
        let (file, notes) = try generated()
        #expect(file.hasPrefix(ModelGenerator.header))
        #expect(try tableText(file) == """
            @io.k8s.api.core.v1.Holder
            1 localObjectReference m:io.k8s.api.core.v1.LocalObjectReference inline
            2 optional b z
            @io.k8s.api.core.v1.LocalObjectReference
            1 name s
            @io.k8s.api.core.v1.Widget
            2 count i32 z
            3 size i32 z
            1 name s z
            4 apiGroup s
            5 tags *s
            6 blobs map:s:y
            7 holder m:io.k8s.api.core.v1.Holder

            """)
        #expect(notes == ["io.k8s.api.core.v1.Widget.gone (8): no JSON property; left out"])
    }

    @Test func generatedTableDecodes() throws {
        let table = try ProtobufFieldTable(text: try tableText(try generated().text))
        var widget = ProtoWriter()
        widget.int(2, 0)
        widget.int(3, 0)
        widget.string(1, "")
        widget.string(4, "apps")
        widget.string(5, "a")
        widget.string(5, "")
        widget.entry(6, "k", bytes: [1])
        widget.string(8, "dropped")
        widget.message(7) { holder in
            holder.message(1) { $0.string(1, "ref") }
            holder.bool(2, false)
        }
        let object = try KubernetesProtobuf.decodeObject("io.k8s.api.core.v1.Widget", widget.buffer[...], table: table)
        try expectJSON(
            .object(object),
            #"{"count":0,"size":0,"name":"","apiGroup":"apps","tags":["a",""],"blobs":{"k":"AQ=="},"holder":{"name":"ref","optional":false}}"#)
        #expect(table.decodable.contains("io.k8s.api.core.v1.Widget"))
    }

    @Test func definitionNames() {
        #expect(ProtobufFieldTableGenerator.definitionName(package: "k8s.io.api.apps.v1", name: "Deployment") == "io.k8s.api.apps.v1.Deployment")
        #expect(
            ProtobufFieldTableGenerator.definitionName(package: "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1", name: "JSON")
                == "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON")
    }
}
