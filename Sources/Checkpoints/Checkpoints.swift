/// safetensors checkpoints: validated reading and atomic writing.
public enum Checkpoints {}
