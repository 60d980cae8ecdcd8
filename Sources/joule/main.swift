import Tensors
print(Tensor([1, 2, 3]))
