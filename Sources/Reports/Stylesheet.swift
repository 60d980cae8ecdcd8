/// The run colours: Tableau 10, whose neighbours stay distinguishable for most forms of
/// colour blindness; runs past the tenth reuse them in order.
enum Palette {
    /// The colours, in the order runs get them.
    static let colors = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
        "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    /// The colour of the run at `index`.
    static func color(_ index: Int) -> String {
        colors[index % colors.count]
    }

    /// A small square of the run's colour, for legends and column headings.
    static func swatch(_ index: Int) -> String {
        // An empty span, not `<span/>`: HTML parsers ignore the slash and would nest
        // everything after it inside the span.
        "<span class=\"swatch\" style=\"background:\(color(index))\"></span>"
    }
}

/// The report's CSS, inlined so the file needs nothing else. It must stay free of `<`
/// and `&`, which would break the document as XML.
enum Stylesheet {
    /// The whole stylesheet.
    static let css = """
        :root { color-scheme: light; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
          color: #1f2328; background: #fff; margin: 0 auto; padding: 24px 32px 48px;
          max-width: 1320px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 18px; margin: 32px 0 12px; padding-bottom: 4px;
          border-bottom: 1px solid #d0d7de; }
        h3 { font-size: 14px; margin: 0 0 6px; font-weight: 600; }
        p.meta { color: #59636e; margin: 0; }
        code { font: 12px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; margin: 0 0 8px; }
        th, td { border: 1px solid #d8dee4; padding: 4px 10px; text-align: left;
          vertical-align: top; max-width: 360px; overflow-wrap: anywhere; }
        thead th { background: #f6f8fa; }
        tbody th { font-weight: 500; color: #414a53; background: #fbfcfd; white-space: nowrap; }
        tr.group th { background: #eef1f4; font-weight: 600; color: #1f2328; }
        td.num { font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; }
        td.missing { color: #8c959f; text-align: center; }
        td.nonfinite { color: #b42318; background: #fef3f2; font-weight: 600; }
        .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
          margin-right: 6px; vertical-align: baseline; }
        .status { font-weight: 600; }
        .status-finished { color: #1a7f37; }
        .status-running { color: #0969da; }
        .status-failed, .status-killed { color: #b42318; }
        .status-interrupted { color: #9a6700; }
        .reason { display: block; font-weight: 400; color: #59636e; font-size: 12px; }
        details { margin: 8px 0; }
        summary { cursor: pointer; color: #414a53; }
        details table { margin-top: 8px; }
        .charts { display: flex; flex-wrap: wrap; gap: 24px 28px; }
        .chart { flex: 0 1 590px; min-width: 0; }
        .chart svg { width: 100%; height: auto; display: block; }
        .chart svg text { font-size: 11px; fill: #59636e; }
        .chart svg .axis-title { fill: #414a53; }
        .chart .grid line { stroke: #eaeef2; stroke-width: 1; }
        .chart .axis line { stroke: #8c959f; stroke-width: 1; }
        .chart .series polyline { stroke-width: 1.5; stroke-linejoin: round; stroke-linecap: round; }
        .legend { list-style: none; padding: 0; margin: 4px 0 0 64px; display: flex;
          flex-wrap: wrap; gap: 4px 16px; font-size: 12px; }
        .note { font-size: 12px; color: #9a6700; margin: 4px 0 0 64px; }
        .images { display: flex; flex-wrap: wrap; gap: 16px; }
        figure { margin: 0; }
        figure img { max-width: 100%; image-rendering: pixelated; border: 1px solid #d8dee4; }
        figcaption { font-size: 12px; color: #59636e; margin-top: 4px; }
        .sub { display: block; font-size: 11px; color: #59636e; font-weight: 400; white-space: nowrap; }
        .score { font-size: 11px; color: #414a53; }
        ul.runs { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 4px 20px; }
        ul.runs code { color: #59636e; font-size: 11px; }
        ul.warnings { margin: 0; padding-left: 20px; color: #7a2e0e; }
        ul.warnings li { margin: 2px 0; }
        details > summary { font-weight: 500; }
        section > details { margin-top: 0; }
        """
}
