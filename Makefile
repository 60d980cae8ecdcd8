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

# Two short runs (cnn-s and mlp) recorded in checkpoints/runs.sqlite, listed, compared and
# reported in checkpoints/demo-report.html, then the benchmarks.
demo: release
	.build/release/joule train --model cnn-s --epochs 1 --lr 1e-3 --checkpoint-dir checkpoints --experiment demo --json > checkpoints/demo-cnn-s.json
	.build/release/joule train --model mlp --epochs 3 --lr 1e-3 --schedule cosine --checkpoint-dir checkpoints --experiment demo --json > checkpoints/demo-mlp.json
	@cat checkpoints/demo-cnn-s.json checkpoints/demo-mlp.json
	.build/release/joule runs list --where "attributes.experiment = 'demo'" --columns metrics.test/accuracy,metrics.validation/accuracy --limit 10
	.build/release/joule runs compare --diff-only $$(sed -n 's/.*"run_id" : "\(.*\)".*/\1/p' checkpoints/demo-cnn-s.json checkpoints/demo-mlp.json)
	.build/release/joule report $$(sed -n 's/.*"run_id" : "\(.*\)".*/\1/p' checkpoints/demo-cnn-s.json checkpoints/demo-mlp.json) --out checkpoints/demo-report.html
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
