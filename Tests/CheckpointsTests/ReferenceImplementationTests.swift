import Foundation
import Tensors
import Testing

@testable import Checkpoints

/// A Python with the reference `safetensors` and NumPy, when this machine has one:
/// `$JOULE_SAFETENSORS_PYTHON`, then a throwaway venv at /tmp/joule-safetensors-venv
/// (`python3 -m venv /tmp/joule-safetensors-venv && /tmp/joule-safetensors-venv/bin/pip
/// install safetensors numpy`), then `python3` on the PATH.
enum ReferencePython {
    static let executable: String? = {
        var candidates = ["/tmp/joule-safetensors-venv/bin/python", "/usr/bin/env"]
        if let chosen = ProcessInfo.processInfo.environment["JOULE_SAFETENSORS_PYTHON"] {
            candidates.insert(chosen, at: 0)
        }
        return candidates.first { (try? run($0, "import safetensors, numpy").status) == 0 }
    }()

    /// Runs `script` with `arguments`; the exit status and standard output.
    static func run(_ executable: String, _ script: String, _ arguments: [String] = []) throws
        -> (status: Int32, output: Data)
    {
        guard FileManager.default.isExecutableFile(atPath: executable) else { return (127, Data()) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let prefix = executable == "/usr/bin/env" ? ["python3"] : []
        process.arguments = prefix + ["-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    /// Runs `script` with the reference Python and parses its standard output as JSON.
    static func json(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let python = try #require(executable)
        let (status, output) = try run(python, script, arguments)
        try #require(status == 0, "python exited with \(status)")
        return try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
    }
}

@Suite(
    "Against the reference implementation",
    .enabled(
        if: ReferencePython.executable != nil,
        "needs python3 with safetensors and numpy"))
struct ReferenceImplementationTests {
    /// Our file, loaded by `safetensors.numpy.load_file`: same names, dtypes, shapes, bits
    /// and metadata.
    @Test func theReferenceReadsOurFiles() throws {
        let original = try RoundTripTests.sample()
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("ours.safetensors")
            try original.write(to: url)
            let script = """
                import json, sys
                from safetensors import safe_open
                from safetensors.numpy import load_file
                tensors = load_file(sys.argv[1])
                with safe_open(sys.argv[1], framework="np") as f:
                    metadata = f.metadata()
                print(json.dumps({"metadata": metadata, "tensors": {
                    name: {"dtype": str(a.dtype), "shape": list(a.shape), "bits": a.view("uint32").ravel().tolist()}
                    for name, a in tensors.items()}}))
                """
            let result = try ReferencePython.json(script, [url.path])
            #expect(result["metadata"] as? [String: String] == original.metadata)
            let tensors = try #require(result["tensors"] as? [String: [String: Any]])
            #expect(Set(tensors.keys) == Set(original.names))
            for (name, tensor) in original.entries {
                let loaded = try #require(tensors[name], "\(name)")
                #expect(loaded["dtype"] as? String == "float32")
                #expect(loaded["shape"] as? [Int] == tensor.shape, "\(name)")
                #expect((loaded["bits"] as? [NSNumber])?.map(\.uint32Value) == bitPatterns(tensor), "\(name)")
            }
        }
    }

    /// A file the reference writes with every dtype NumPy has, read here: each tensor must
    /// equal NumPy's own conversion to float32, bit for bit.
    @Test func weReadTheReferencesFiles() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("theirs.safetensors")
            let script = """
                import json, sys
                import numpy as np
                from safetensors.numpy import save_file
                rng = np.random.default_rng(0)
                t = {
                    "f64": rng.normal(size=(3, 5)) * 1e3,
                    "f32": rng.normal(size=(7,)).astype(np.float32),
                    "f16": np.concatenate([rng.normal(size=40), [65504, -0.0, np.inf, 6e-8]]).astype(np.float16),
                    "i64": np.array([-3, 2**40, 2**53 + 1, -2**62, 16777217], dtype=np.int64),
                    "i32": np.array([[-1, 2**31 - 1], [-2**31, 5]], dtype=np.int32),
                    "i16": np.array([-32768, 32767, 0], dtype=np.int16),
                    "i8": np.array([-128, 127, 1], dtype=np.int8),
                    "u8": np.arange(256, dtype=np.uint8).reshape(16, 16),
                    "u16": np.array([0, 65535], dtype=np.uint16),
                    "u32": np.array([0, 2**32 - 1], dtype=np.uint32),
                    "u64": np.array([0, 2**64 - 1], dtype=np.uint64),
                    "bool": np.array([[True, False], [False, True]]),
                    "scalar": np.array(2.5, dtype=np.float32),
                    "empty": np.zeros((2, 0), dtype=np.float32),
                }
                save_file(t, sys.argv[1], metadata={"who": "reference"})
                print(json.dumps({name: {"shape": list(a.shape), "bits": a.astype(np.float32).view("uint32").ravel().tolist()}
                                  for name, a in t.items()}))
                """
            let expected = try ReferencePython.json(script, [url.path])
            let read = try SafeTensors.read(from: url)
            #expect(read.metadata == ["who": "reference"])
            #expect(Set(read.names) == Set(expected.keys))
            for (name, value) in expected {
                let entry = try #require(value as? [String: Any])
                let tensor = try read.tensor(named: name)
                #expect(entry["shape"] as? [Int] == tensor.shape, "\(name)")
                #expect((entry["bits"] as? [NSNumber])?.map(\.uint32Value) == bitPatterns(tensor), "\(name)")
            }
        }
    }
}
