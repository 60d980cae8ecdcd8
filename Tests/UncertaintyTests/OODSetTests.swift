import Datasets
import Foundation
import Testing

@testable import Uncertainty

@Suite struct OODSetTests {
    /// Ten 1×4×4 "test images", image i filled with 20·i.
    static let reference = ImageDataset(
        name: "test", pixels: (0..<10).flatMap { i in [UInt8](repeating: UInt8(20 * i), count: 16) },
        labels: Array(0..<10).map { $0 % 2 }, channels: 1, height: 4, width: 4, classNames: ["a", "b"])
    static let nowhere = URL(fileURLWithPath: "/nonexistent/mnist_5k.csv.gz")

    @Test func namesAndGroups() {
        for set in OODSet.defaults + [.folder("/tmp/x")] { #expect(OODSet(name: set.name) == set) }
        #expect(OODSet(name: "png:") == nil && OODSet(name: "cifar") == nil)
        #expect(OODSet.mnist5k.group == .near && OODSet.interpolation.group == .near)
        #expect(OODSet.uniform.group == .far && OODSet.gaussian.group == .far && OODSet.constant.group == .far)
        #expect(OODSet.folder("x").group == .user)
    }

    @Test func syntheticSetsHaveTheReferenceShapeAndAreSeeded() throws {
        for set in [OODSet.uniform, .gaussian, .constant, .interpolation] {
            let a = try set.make(like: Self.reference, count: 50, seed: 3, mnist5k: Self.nowhere)
            let b = try set.make(like: Self.reference, count: 50, seed: 3, mnist5k: Self.nowhere)
            let c = try set.make(like: Self.reference, count: 50, seed: 4, mnist5k: Self.nowhere)
            #expect(a.count == 50 && a.channels == 1 && a.height == 4 && a.width == 4 && a.name == set.name)
            #expect(a.labels.allSatisfy { $0 == -1 })
            #expect(a.pixels == b.pixels && a.pixels != c.pixels, "\(set.name)")
        }
    }

    @Test func syntheticSetsFollowTheirDefinitions() throws {
        let constant = try OODSet.constant.make(like: Self.reference, count: 20, seed: 1, mnist5k: Self.nowhere)
        for i in 0..<20 { #expect(Set(constant.pixels[i * 16..<(i + 1) * 16]).count == 1) }
        // Each interpolated image is the rounded mean of two reference images (20a and 20b): a multiple of 10.
        let interpolation = try OODSet.interpolation.make(
            like: Self.reference, count: 30, seed: 1, mnist5k: Self.nowhere)
        for i in 0..<30 {
            let image = interpolation.pixels[i * 16..<(i + 1) * 16]
            #expect(Set(image).count == 1 && Int(image.first ?? 1) % 10 == 0)
        }
        // Uniform bytes: mean near 127.5; Gaussian in input space N(0, 1) clipped: about 31.7% of pixels clipped.
        let uniform = try OODSet.uniform.make(like: Self.reference, count: 500, seed: 1, mnist5k: Self.nowhere)
        let mean = Double(uniform.pixels.reduce(0) { $0 + Int($1) }) / Double(uniform.pixels.count)
        #expect(abs(mean - 127.5) < 2)
        let gaussian = try OODSet.gaussian.make(like: Self.reference, count: 500, seed: 1, mnist5k: Self.nowhere)
        let clipped = Double(gaussian.pixels.count { $0 == 0 || $0 == 255 }) / Double(gaussian.pixels.count)
        #expect(abs(clipped - 0.3173) < 0.02, "\(clipped)")
    }

    @Test func missingOrMisshapenFilesAreNamed() throws {
        #expect {
            _ = try OODSet.mnist5k.make(like: Self.reference, count: 1, seed: 0, mnist5k: Self.nowhere)
        } throws: { "\($0)".contains("/nonexistent/mnist_5k.csv.gz") }

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("joule-ood-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for i in 0..<3 {
            try PNGWriter.write(
                [UInt8](repeating: UInt8(i * 50), count: 16), width: 4, height: 4, channels: 1,
                to: root.appendingPathComponent("\(i).png"))
        }
        let flat = try OODSet.folder(root.path).make(like: Self.reference, count: 1, seed: 0, mnist5k: Self.nowhere)
        #expect(flat.count == 3 && flat.name == "png:\(root.path)")
        // A folder of class subfolders is read as a labelled set.
        let classes = FileManager.default.temporaryDirectory.appendingPathComponent(
            "joule-ood-classes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: classes) }
        for name in ["a", "b"] {
            let folder = classes.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try PNGWriter.write(
                [UInt8](repeating: 7, count: 16), width: 4, height: 4, channels: 1,
                to: folder.appendingPathComponent("x.png"))
        }
        let labelled = try OODSet.folder(classes.path).make(
            like: Self.reference, count: 1, seed: 0, mnist5k: Self.nowhere)
        #expect(labelled.count == 2 && labelled.labels == [0, 1] && labelled.classNames == ["a", "b"])
        let wide = ImageDataset(
            name: "test", pixels: [UInt8](repeating: 0, count: 25), labels: [0], channels: 1, height: 5, width: 5,
            classNames: ["a"])
        #expect {
            _ = try OODSet.folder(root.path).make(like: wide, count: 1, seed: 0, mnist5k: Self.nowhere)
        } throws: { "\($0)".contains(root.path) && "\($0)".contains("1×4×4") && "\($0)".contains("1×5×5") }
    }
}
