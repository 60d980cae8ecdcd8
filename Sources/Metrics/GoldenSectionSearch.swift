/// The minimiser of `function` over [lower, upper] by golden-section search: each step
/// keeps the part of the bracket that must hold the minimum of a unimodal function and
/// shrinks it by 1/φ ≈ 0.618, reusing one of the two interior evaluations.
///
/// Stops when the bracket is narrower than `tolerance`, and returns the best point
/// evaluated, the two ends included, so a minimum on the boundary is found exactly.
/// Deterministic: the same function gives the same evaluations in the same order.
func goldenSectionMinimum(
    of function: (Double) -> Double, in lower: Double, _ upper: Double,
    tolerance: Double
) -> Double {
    precondition(lower < upper && tolerance > 0, "bracket [\(lower), \(upper)] must be increasing")
    let shrink = (5.0.squareRoot() - 1) / 2
    var best = (point: lower, value: function(lower))
    func consider(_ point: Double, _ value: Double) {
        if value < best.value { best = (point, value) }
    }
    consider(upper, function(upper))
    var a = lower
    var b = upper
    var c = b - shrink * (b - a)
    var d = a + shrink * (b - a)
    var fc = function(c)
    var fd = function(d)
    consider(c, fc)
    consider(d, fd)
    while b - a > tolerance {
        if fc <= fd {
            b = d
            d = c
            fd = fc
            c = b - shrink * (b - a)
            fc = function(c)
            consider(c, fc)
        } else {
            a = c
            c = d
            fc = fd
            d = a + shrink * (b - a)
            fd = function(d)
            consider(d, fd)
        }
    }
    return best.point
}
