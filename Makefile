# The two commands of the README, and their parts.
#   make demo   install what is missing, build in release, run the main job
#   make test   install what is missing, build, run every test and the toy check
SWIFT ?= swift

.PHONY: demo test lint deps demo-deps build release install bench bench-torch fuzz clean

deps:
	@scripts/install-deps.sh
	@scripts/fetch-mnist5k.sh

# Chromium, for the demo's check of its report (scripts/check-report.sh).
demo-deps: deps
	@scripts/install-deps.sh --with-chromium

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Puts `joule` on PATH: PREFIX/bin/joule, and MNIST-5k beside it (PREFIX/share/joule), where
# `joule evaluate` finds it from any folder. PREFIX defaults to /usr/local (writable as root);
# `make install PREFIX=$$HOME/.local` needs no root.
PREFIX ?= /usr/local
install: release
	install -D -m 755 .build/release/joule $(DESTDIR)$(PREFIX)/bin/joule
	install -D -m 644 datasets/mnist_5k.csv.gz $(DESTDIR)$(PREFIX)/share/joule/mnist_5k.csv.gz
	@echo "installed $(DESTDIR)$(PREFIX)/bin/joule ($$($(DESTDIR)$(PREFIX)/bin/joule --version))"

# Three short runs recorded in checkpoints/runs.sqlite — cnn-s and mlp with cross-entropy,
# and a JEM mlp whose class-conditional samples go to checkpoints/demo-jem-samples.png and
# whose sample quality the cross-entropy mlp judges (conditional-sample accuracy, Fréchet
# distance and precision/recall on its features; grid in checkpoints/demo-jem-quality.png).
# The three get a temperature calibrator and conformal prediction sets and are evaluated
# (calibration, set coverage and sizes, OOD detection against MNIST-5k and synthetic sets
# under every score, the likelihood ratio against a background mlp trained on mutated
# pixels), so the report sets cross-entropy and JEM side by side on the same mlp; the JEM
# run scores the Fashion-MNIST test images with their prediction sets
# (checkpoints/demo-scores.csv); a denoising-score-matching energy learns the
# eight-Gaussians density (its heatmap and samples are pictures of the run), is measured
# by MMD and draws 1,000 points (checkpoints/demo-dsm-samples.png); a JEM mlp with VERA's
# learned sampler in place of SGLD is evaluated the same way and its generator draws
# checkpoints/demo-vera-samples.png (after 1,000 steps one blob, not yet spread over the
# classes: BENCHMARKS.md shows what a 12-epoch cnn-s run's generator draws). All are listed,
# compared and reported in checkpoints/demo-report.html, which headless Chromium opens and
# measures (at most five screens of a 1400×900 window; screenshot in
# checkpoints/demo-report.png); then the benchmarks.
RUN_IDS = $$(sed -n 's/.*"run_id" : "\(.*\)".*/\1/p' checkpoints/demo-cnn-s.json checkpoints/demo-mlp.json checkpoints/demo-jem.json checkpoints/demo-dsm.json checkpoints/demo-vera.json)
RUN_ID = $$(sed -n 's/.*"run_id" : "\(.*\)".*/\1/p' checkpoints/demo-$(1).json)
FASHION_TEST_IMAGES ?= $${JOULE_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}/t10k-images-idx3-ubyte.gz
demo: release demo-deps
	.build/release/joule train --model cnn-s --epochs 1 --lr 1e-3 --checkpoint-dir checkpoints --experiment demo --json > checkpoints/demo-cnn-s.json
	.build/release/joule train --model mlp --epochs 3 --lr 1e-3 --schedule cosine --checkpoint-dir checkpoints --experiment demo --json > checkpoints/demo-mlp.json
	.build/release/joule train --objective jem --model mlp --steps 1000 --lr 1e-4 --noise 0.03 --checkpoint-every 250 --checkpoint-dir checkpoints --experiment demo --json > checkpoints/demo-jem.json
	@cat checkpoints/demo-cnn-s.json checkpoints/demo-mlp.json checkpoints/demo-jem.json
	.build/release/joule sample $(call RUN_ID,jem) --per-class --from noise --steps 100 --out checkpoints/demo-jem-samples.png
	.build/release/joule sample $(call RUN_ID,jem) --evaluate $(call RUN_ID,mlp) --out checkpoints/demo-jem-quality.png
	.build/release/joule train --model mlp --epochs 1 --lr 1e-3 --mutation-rate 0.2 --checkpoint-dir checkpoints --experiment demo-background --json > checkpoints/demo-background.json
	.build/release/joule calibrate $(call RUN_ID,cnn-s) --method temperature --conformal
	.build/release/joule evaluate $(call RUN_ID,cnn-s)
	.build/release/joule calibrate $(call RUN_ID,mlp) --method temperature --conformal
	.build/release/joule evaluate $(call RUN_ID,mlp) --scores log-px,max-softmax,max-logit,grad-norm,complexity,mahalanobis,knn,ensemble,likelihood-ratio --background $(call RUN_ID,background)
	.build/release/joule calibrate $(call RUN_ID,jem) --method temperature --conformal
	.build/release/joule evaluate $(call RUN_ID,jem) --scores log-px,max-softmax,max-logit,grad-norm,sgld-delta,complexity,mahalanobis,knn,ensemble,likelihood-ratio --background $(call RUN_ID,background)
	.build/release/joule score $(call RUN_ID,jem) $(FASHION_TEST_IMAGES) --also log-px,max-softmax > checkpoints/demo-scores.csv
	.build/release/joule train --objective dsm --dataset toy:8gaussians --model energy-mlp-64 --steps 1500 --batch-size 128 --lr 3e-3 --schedule cosine --checkpoint-dir checkpoints --experiment demo --json > checkpoints/demo-dsm.json
	.build/release/joule evaluate $(call RUN_ID,dsm) --checkpoint last
	.build/release/joule sample $(call RUN_ID,dsm) --checkpoint last --count 1000 --out checkpoints/demo-dsm-samples.png
	.build/release/joule train --objective vera --model mlp --steps 1000 --lr 1e-3 --pyx-weight 1 --px-weight 0.03 --entropy-weight 1e-4 --noise 0.03 --checkpoint-dir checkpoints --experiment demo --json > checkpoints/demo-vera.json
	.build/release/joule evaluate $(call RUN_ID,vera) --scores log-px,max-softmax
	.build/release/joule sample $(call RUN_ID,vera) --out checkpoints/demo-vera-samples.png
	@awk -F, 'NR > 1 { n[$$NF]++ } END { printf "scored %d Fashion-MNIST test images: %d in, %d out (threshold keeps 95%% of validation)\n", n["in"] + n["out"], n["in"], n["out"] }' checkpoints/demo-scores.csv
	.build/release/joule runs list --where "attributes.experiment = 'demo'" --columns metrics.test/accuracy,metrics.validation/accuracy,metrics.jem/energy_gap --limit 10
	.build/release/joule runs compare --diff-only $(RUN_IDS)
	.build/release/joule report $(RUN_IDS) --out checkpoints/demo-report.html
	scripts/check-report.sh checkpoints/demo-report.html checkpoints/demo-report.png --width 1400 --max-screens 5
	.build/release/joule bench

# The unit tests (debug build) and a replay of the fuzz corpus and every input the fuzzers
# ever found through the parsers; then, in release: the toy check, which trains
# twenty-four small energies (scripts/toy-check.sh states its bars), and the reliability
# checks of issue 9 — ten SIGKILLs of a training run, resident memory over 1,000 JEM
# iterations, a disk filling under a run (needs root; skipped with a message otherwise).
# The house style (.swift-format: lines of 120 at most, every public declaration documented).
lint:
	$(SWIFT) format lint --strict --recursive --parallel Sources Tests Package.swift

test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test
	scripts/fuzz.sh --replay
	$(SWIFT) build -c release --product joule
	scripts/toy-check.sh
	scripts/crash-check.sh
	scripts/memory-check.sh
	scripts/full-disk-check.sh

# Every fuzz target for 1,000,000 executions or 10 minutes (see fuzz/README.md).
fuzz: deps
	scripts/fuzz.sh

bench: release
	.build/release/joule bench --json > /tmp/joule-bench.json
	@echo "wrote /tmp/joule-bench.json"

# The PyTorch side of BENCHMARKS.md (needs ../shared/bench; about a minute to set up).
bench-torch:
	../shared/bench/setup.sh
	/tmp/joule-reference-venv/bin/python bench/torch_engine.py --shared ../shared/bench --json /tmp/torch-engine.json

clean:
	rm -rf .build .build-fuzz
