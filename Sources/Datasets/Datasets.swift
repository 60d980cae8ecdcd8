/// Datasets for Joule: images with labels, 2-D toy densities, splits, batching, transforms.
public enum Datasets {}
