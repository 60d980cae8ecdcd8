# The two commands of the README, and their parts.
#   make demo   install what is missing, build in release, run the main job
#   make test   install what is missing, build, run every test
SWIFT ?= swift

.PHONY: demo test deps build release bench bench-torch clean

deps:
	@scripts/install-deps.sh
	@scripts/fetch-mnist5k.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

demo: release
	.build/release/joule train --model cnn-s --epochs 1 --lr 1e-3 --checkpoint-dir checkpoints
	.build/release/joule bench

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

bench: release
	.build/release/joule bench --json > /tmp/joule-bench.json
	@echo "wrote /tmp/joule-bench.json"

# The PyTorch side of BENCHMARKS.md (needs ../shared/bench; about a minute to set up).
bench-torch:
	../shared/bench/setup.sh
	/tmp/joule-reference-venv/bin/python bench/torch_engine.py --shared ../shared/bench --json /tmp/torch-engine.json

clean:
	rm -rf .build
