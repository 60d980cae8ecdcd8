import Evaluation
import Foundation

/// `joule score`'s rows as JSON or CSV, and its one-line summary.
extension ScoreCommand {
    func json(_ result: ImageScoring.Result) -> [String: Any] {
        let samples: [[String: Any]] = result.rows.map { row in
            var object: [String: Any] = ["source": row.source, "score": Self.number(row.score)]
            if let prediction = row.prediction, let name = row.className, let confidence = row.confidence {
                object["prediction"] = prediction
                object["class"] = name
                object["confidence"] = Self.number(confidence)
            }
            if let set = row.predictionSet { object["prediction_set"] = set }
            if !row.otherScores.isEmpty {
                object["also"] = Dictionary(
                    uniqueKeysWithValues: zip(also.filter { $0 != score }.map(\.name), row.otherScores.map(Self.number))
                )
            }
            if let isIn = row.isIn { object["decision"] = isIn ? "in" : "out" }
            return object
        }
        var object: [String: Any] = [
            "score": score.name, "meaning": score.meaning, "samples": samples,
            "calibrator": result.calibrator?.summary ?? NSNull(),
        ]
        if let threshold = result.threshold {
            object["threshold"] = ["value": threshold, "tpr": tpr, "fitted_on": "validation"]
        }
        return object
    }

    func printCSV(_ result: ImageScoring.Result) {
        let decisions = result.threshold != nil
        print(
            (["source", "prediction", "class", "confidence", "prediction_set", "score"]
                + also.filter { $0 != score }.map(\.name) + (decisions ? ["decision"] : []))
                .joined(separator: ","))
        for row in result.rows {
            let prediction: String = row.prediction.map { String($0) } ?? ""
            let confidence: String = row.confidence.map { "\(Self.number($0))" } ?? ""
            var fields: [String] =
                [
                    row.source, prediction, row.className ?? "", confidence,
                    row.predictionSet?.joined(separator: "|") ?? "",
                    "\(Self.number(row.score))",
                ] + row.otherScores.map { "\(Self.number($0))" }
            if decisions { fields.append(row.isIn.map { $0 ? "in" : "out" } ?? "") }
            print(fields.map(OutputTable.csvField).joined(separator: ","))
        }
    }

    /// One line: images scored, how many judged in and out, and how large the prediction sets were.
    static func summary(_ result: ImageScoring.Result) -> String {
        let n = result.rows.count
        var text = "\(n) images scored"
        if result.threshold != nil {
            let inside = result.rows.filter { $0.isIn == true }.count
            text += String(
                format: ": %d in, %d out (%.1f%% out)", inside, n - inside, 100 * Double(n - inside) / Double(max(n, 1))
            )
        }
        let sets = result.rows.compactMap(\.predictionSet)
        if !sets.isEmpty {
            text += String(
                format: "; mean prediction-set size %.2f", Double(sets.map(\.count).reduce(0, +)) / Double(sets.count))
        }
        return text
    }

    /// A finite value as a number; NaN and infinities as text (JSON has no such numbers).
    static func number(_ v: Double) -> Any { v.isFinite ? v : (v.isNaN ? "NaN" : (v > 0 ? "Inf" : "-Inf")) }
}
