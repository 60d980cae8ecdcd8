/// The images, embedded as `data:` URLs so the report stays one file, grouped by run.
enum ImagesSection {
    /// The section, or `nil` when no run has an image.
    static func render(_ runs: [ReportRun]) -> String? {
        guard runs.contains(where: { !$0.images.isEmpty }) else { return nil }
        var content = ""
        for (index, run) in runs.enumerated() where !run.images.isEmpty {
            // With one run the heading would only repeat the report's subject.
            if runs.count > 1 {
                content += "<h3>\(Palette.swatch(index))\(escapeHTML(run.label))</h3>\n"
            }
            content += "<div class=\"images\">\n"
            for image in run.images {
                let title = escapeHTML(image.title)
                content +=
                    "<figure><img src=\"data:image/png;base64,\(image.pngData.base64EncodedString())\" "
                    + "alt=\"\(title)\"/><figcaption>\(title)</figcaption></figure>\n"
            }
            content += "</div>\n"
        }
        let count = runs.reduce(0) { $0 + $1.images.count }
        return reportSection(
            id: "images", title: "Images",
            content: folded("\(count) image\(count == 1 ? "" : "s") the runs recorded", content))
    }
}
