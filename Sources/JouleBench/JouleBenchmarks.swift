/// Benchmarks behind `joule bench`.
public enum JouleBenchmarks {}
