# Entry points for users and CI. Everything runs from Maven's dependencies: JDK 17 + Maven only.
MVN      ?= mvn -B
# The face the demo's actors are built from (public domain; pipeline/src/test/resources/fixtures/README.md).
PHOTO    := pipeline/src/test/resources/fixtures/real/astronaut.png
DEMO_OUT := demo-output
BENCH_OUT:= bench-output
REPRO_OUT:= reproduce-output
REPRO_CONF:= conf/reproduce-small.conf
PHOTO_ARG = corpus.face-photo=$(abspath $(PHOTO))

.PHONY: build demo reproduce sweep test test-fast bench bench-cluster package clean help cluster-up cluster-down submit-train config-doc \
  notebooks notebooks-kernel docker-conf docker-base docker-context docker-image docker-image-gpu docker-up docker-demo docker-down docker-test

help:
	@echo "make demo     generate a synthetic corpus, ingest, split, train FE2E and MESM (IEMOCAP: both attention-gradient modes; CMU-MOSEI: p = 0.5), evaluate them, score (output in $(DEMO_OUT)/)"
	@echo "make reproduce  the paper's experiment set (Tables 3-5, Figure 5, both attention modes) on a small synthetic corpus, one report in $(REPRO_OUT)/report (<= 45 min)"
	@echo "make sweep    after make demo: MESM at top-p 0.1 ... 1.0 on the demo corpus, metric and GFLOPs against p (paper Figure 5)"
	@echo "make test     run the whole test suite"
	@echo "make test-fast  the unit tests only (no @Slow classes, no cluster tests): a few minutes while working"
	@echo "make bench    benchmarks (output in $(BENCH_OUT)/)"
	@echo "make package  build the spark-submit jar (jobs/target/mesm-jobs-*-spark.jar)"
	@echo "make cluster-up / cluster-down   a Spark standalone master + 2 workers and an S3 endpoint on 127.0.0.1"
	@echo "make submit-train  on that cluster: synthetic corpus to s3a://mesm/demo, ingest, split, train with parameter averaging"
	@echo "make notebooks  install the Java kernel for the notebooks and start Jupyter on notebooks/ (after make demo; docs/notebooks.md)"
	@echo "make docker-image  the CPU image with podman (docs/deploy.md); docker-base: its Debian base without a registry"
	@echo "make docker-demo   a compose cluster (S3, master, 2 workers, submit) running the demo's data path; docker-down removes it"
	@echo "make docker-test   build the image from a debootstrapped base, run it, run the compose cluster, check, tear down"
	@echo "make build    compile for bin/mesm (local runs, no Spark installation)"
	@echo "make config-doc  rewrite docs/configuration.md from reference.conf (commit it with the change)"
	@echo "make clean    remove build and demo output"

build:
	$(MVN) -q -DskipTests -DskipShade package

demo: build
	bin/mesm GenerateCorpusJob --config conf/demo.conf $(PHOTO_ARG)
	bin/mesm IngestJob --config conf/demo.conf dataset=iemocap
	bin/mesm IngestJob --config conf/demo.conf dataset=mosei
	bin/mesm SplitJob --config conf/demo.conf dataset=iemocap
	bin/mesm SplitJob --config conf/demo.conf dataset=mosei
	bin/mesm TrainJob --config conf/demo.conf dataset=iemocap
	bin/mesm TrainJob --config conf/demo.conf dataset=iemocap model.type=mesm
	bin/mesm TrainJob --config conf/demo.conf dataset=iemocap model.type=mesm model.mesm.attention-gradient=scaled train.run-name=mesm-tav-scaled
	bin/mesm EvaluateJob --config conf/demo.conf dataset=iemocap
	bin/mesm TrainJob --config conf/demo.conf dataset=mosei
	bin/mesm TrainJob --config conf/demo.conf dataset=mosei model.type=mesm model.mesm.top-p=0.5
	bin/mesm EvaluateJob --config conf/demo.conf dataset=mosei 'eval.models=[fe2e-tav, mesm-tav]'
	bin/mesm AttentionMapJob --config conf/demo.conf dataset=iemocap
	bin/mesm MakeArchiveJob --config conf/demo.conf
	@# Every make demo trains its models again, and scoring refuses to resume with another model than
	@# the one it started with (docs/reliability.md): a rerun rescores the archive from the start.
	bin/mesm ScoreJob --config conf/demo.conf dataset=iemocap score.mode=overwrite

# The paper's experiment set on conf/reproduce-small.conf. The corpus, ingest and splits are made once (a
# new split would be another split: every run would train again); ReproduceJob itself reuses every run
# already trained with the same settings and continues an interrupted one, so a rerun only reports.
reproduce: build $(REPRO_OUT)/split/iemocap/_manifest.json $(REPRO_OUT)/split/mosei/_manifest.json
	bin/mesm ReproduceJob --config $(REPRO_CONF)

$(REPRO_OUT)/corpus/IEMOCAP_full_release:
	bin/mesm GenerateCorpusJob --config $(REPRO_CONF) $(PHOTO_ARG)

$(REPRO_OUT)/split/%/_manifest.json: | $(REPRO_OUT)/corpus/IEMOCAP_full_release
	bin/mesm IngestJob --config $(REPRO_CONF) dataset=$*
	bin/mesm SplitJob --config $(REPRO_CONF) dataset=$*

# Ten MESM trainings at the demo's size (~40 min on 2 cores); reuses the demo's FE2E as reference.
sweep: build
	bin/mesm TopPSweepJob --config conf/demo.conf dataset=iemocap sweep.fe2e-reference=fe2e-tav

# Jupyter from Debian (jupyter-notebook, python3-nbconvert; docs/notebooks.md); the kernel spec, written by
# the build, points at bin/mesm-kernel, which runs the product's classes with rapaio-jupyter-kernel.
JUPYTER := /usr/bin/jupyter
KERNEL_SPEC := notebooks/target/jupyter/kernels/mesm-java
NOTEBOOK_PORT ?= 8888

notebooks-kernel: build
	@test -x $(JUPYTER) || { echo "make notebooks: no Jupyter at $(JUPYTER); install it: apt-get install jupyter-notebook python3-nbconvert python3-ipykernel (docs/notebooks.md)" >&2; exit 2; }
	$(JUPYTER) kernelspec install --user --replace --name mesm-java $(KERNEL_SPEC)

# Jupyter refuses to run as root unless told (containers, CI machines).
notebooks: notebooks-kernel
	cd notebooks && $(JUPYTER) notebook --no-browser --ip=127.0.0.1 --port=$(NOTEBOOK_PORT) $(if $(filter 0,$(shell id -u)),--allow-root)

# verify, not test: the standalone-cluster test (cluster module) submits the jobs jar built by package.
# -T 2: once the jobs jar is built, the cluster and notebooks modules (each waiting on processes it
# starts much of the time) run side by side (docs/testing.md#the-suites-time-run-by-run).
test:
	$(MVN) -T 2 verify

# The tier to run while working: unit tests of every module without the classes marked @Slow
# (training to learn, end-to-end Spark stages, S3 endpoints) and without the cluster module's ITs.
test-fast:
	$(MVN) test -DexcludedGroups=slow

# docs/configuration.md is rendered from reference.conf; ConfigReferenceTest fails while the committed page
# is stale, and with this property writes it instead (docs/testing.md).
config-doc:
	cd pipeline && $(MVN) -q test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dmesm.writeConfigDoc=true
	@echo "docs/configuration.md rewritten from pipeline/src/main/resources/reference.conf"

# Benchmarks print their numbers side by side in one run; SIZE sets the corpus size.
bench: build
	@echo "== corpus generation (synthetic IEMOCAP + MOSEI, SIZE=$${SIZE:-480} utterances per layout)"
	bin/mesm GenerateCorpusJob --config conf/demo.conf corpus.output=$(BENCH_OUT)/corpus corpus.size=$${SIZE:-480} $(PHOTO_ARG) | grep -E '^(throughput|Synthetic|iemocap|mosei)'
	@echo "== ingest vs a bare FFmpeg decode of the same files (same run)"
	bin/mesm IngestBenchJob --config conf/demo.conf paths.input=$(BENCH_OUT)/corpus paths.ingest=$(BENCH_OUT)/ingest/iemocap dataset=iemocap
	bin/mesm IngestBenchJob --config conf/demo.conf paths.input=$(BENCH_OUT)/corpus paths.ingest=$(BENCH_OUT)/ingest/mosei dataset=mosei
	@echo "== the same at the real releases' frame sizes (IEMOCAP 720x480, MOSEI 1280x720; SIZE_REAL=$${SIZE_REAL:-240} utterances per layout)"
	bin/mesm GenerateCorpusJob --config conf/demo.conf corpus.output=$(BENCH_OUT)/corpus-real corpus.size=$${SIZE_REAL:-240} $(PHOTO_ARG) corpus.iemocap.frame-width=720 corpus.iemocap.frame-height=480 corpus.mosei.frame-width=1280 corpus.mosei.frame-height=720 | grep -E '^(throughput|Synthetic|iemocap|mosei)'
	bin/mesm IngestBenchJob --config conf/demo.conf paths.input=$(BENCH_OUT)/corpus-real paths.ingest=$(BENCH_OUT)/ingest-real/iemocap dataset=iemocap
	bin/mesm IngestBenchJob --config conf/demo.conf paths.input=$(BENCH_OUT)/corpus-real paths.ingest=$(BENCH_OUT)/ingest-real/mosei dataset=mosei
	@echo "== FE2E training / inference throughput, CNN GFLOP/s, MESM vs FE2E feature-extraction time and FLOPs (the paper's network, then the demo's CNN widths / 4)"
	bin/mesm ModelBenchJob --config conf/demo.conf paths.ingest=$(BENCH_OUT)/ingest/iemocap model.cnn.channel-divisor=1
	bin/mesm ModelBenchJob --config conf/demo.conf paths.ingest=$(BENCH_OUT)/ingest/iemocap model.cnn.channel-divisor=4
	@echo "== the paper's text encoder: ALBERT-base (random weights) forward / forward+backward at 8 x 100 tokens, FE2E T+A+V training with it vs the small encoder"
	bin/mesm AlbertBenchJob --config conf/demo.conf model.cnn.channel-divisor=1
	@echo "== batch scoring throughput next to a bare decode of the same videos, time by step (MOSEI videos of the corpus, segments from their transcripts; the demo's model sizes; FE2E again with the exact face search and with Haar)"
	bin/mesm ScoreBenchJob --config conf/demo.conf paths.input=$(BENCH_OUT)/corpus paths.scores=$(BENCH_OUT)/score
	@echo "== long videos: 1- and 20-minute dialogs ingested and videos scored, peak heap against its bound (2 GiB heap)"
	MESM_HEAP=2g bin/mesm LongVideoBenchJob --config conf/demo.conf corpus.output=$(BENCH_OUT)/long-video
	$(MAKE) bench-cluster

# Distributed training on the local standalone cluster: 1 vs 2 workers, round time split (bin/cluster-bench).
bench-cluster: package
	@echo "== training with parameter averaging on the local cluster, demo settings: 1 vs 2 workers"
	bin/cluster-bench

package:
	$(MVN) -DskipTests package
	@ls -lh jobs/target/mesm-jobs-*-spark.jar

# A local Spark standalone cluster (master, 2 workers) and S3 endpoint, from Maven's jars (bin/cluster).
cluster-up: package
	bin/cluster up

cluster-down:
	bin/cluster down

# The demo's data path on the cluster, data on the local S3 endpoint, then distributed training
# (train.mode=spark, 2 workers); SIZE sets the corpus size, EPOCHS the epochs.
submit-train:
	bin/cluster submit GenerateCorpusJob --config conf/demo.conf corpus.layouts=[iemocap] corpus.size=$${SIZE:-120} $(PHOTO_ARG)
	bin/cluster submit IngestJob --config conf/demo.conf dataset=iemocap
	bin/cluster submit SplitJob --config conf/demo.conf dataset=iemocap
	bin/cluster submit TrainJob --config conf/demo.conf dataset=iemocap train.max-epochs=$${EPOCHS:-3}

# Container images and the compose cluster (docker/, docs/deploy.md), built and run with podman (no
# daemon, no registry needed). Sandboxed machines such as CI's need runc, the cgroupfs manager and
# ulimits no higher than the machine's: docker-conf writes them to a containers.conf every podman
# call here uses (override PODMAN_RUNTIME, PODMAN_CGROUPS, PODMAN_NOFILE, PODMAN_NPROC).
IMAGE          ?= localhost/mesm:latest
IMAGE_GPU      ?= localhost/mesm-gpu:latest
DOCKER_BASE    ?= debian:bookworm-slim
LOCAL_BASE     := localhost/mesm-base:bookworm
DEBIAN_MIRROR  ?= $(shell sed -n 's/^URIs: *\([^ ]*debian\)$$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 | grep . || echo http://deb.debian.org/debian)
PODMAN_RUNTIME ?= runc
PODMAN_CGROUPS ?= cgroupfs
PODMAN_NOFILE  ?= $(shell bash -c 'ulimit -n' | sed 's/unlimited/1048576/')
# A sandbox may refuse an nproc limit above the kernel's pid_max even where ulimit -u is higher.
PODMAN_NPROC   ?= $(shell bash -c 'u=$$(ulimit -u); p=$$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo 32768); [ "$$u" = unlimited ] || [ "$$u" -gt "$$p" ] && u=$$p; echo $$u')
CONTAINERS_CONF_FILE := $(abspath docker/target/containers.conf)
PODMAN         := CONTAINERS_CONF=$(CONTAINERS_CONF_FILE) podman
COMPOSE        := CONTAINERS_CONF=$(CONTAINERS_CONF_FILE) MESM_IMAGE=$(IMAGE) podman-compose -p mesm -f docker/compose.yaml
S3_ENV_FILE    := docker/target/s3.env

docker-conf:
	@mkdir -p docker/target
	@printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\nruntime = "%s"\ncgroup_manager = "%s"\nevents_logger = "file"\n[network]\nnetwork_backend = "netavark"\n' \
	  $(PODMAN_NOFILE) $(PODMAN_NOFILE) $(PODMAN_NPROC) $(PODMAN_NPROC) $(PODMAN_RUNTIME) $(PODMAN_CGROUPS) > $(CONTAINERS_CONF_FILE)

# A debian:bookworm-slim equivalent from the Debian mirror apt uses, for machines without a registry
# (as root: debootstrap). Build on it with DOCKER_BASE=localhost/mesm-base:bookworm.
docker-base: docker-conf
	@if $(PODMAN) image exists $(LOCAL_BASE); then echo "$(LOCAL_BASE) exists"; else \
	  rm -rf docker/target/rootfs && debootstrap --variant=minbase bookworm docker/target/rootfs $(DEBIAN_MIRROR) && \
	  tar -C docker/target/rootfs -c . | $(PODMAN) import - $(LOCAL_BASE) && rm -rf docker/target/rootfs; fi

docker-context:
	@[ -f cluster/target/spark-classpath.txt ] && ls jobs/target/mesm-jobs-*-spark.jar >/dev/null 2>&1 || $(MVN) -q -DskipTests package
	docker/build-context.sh

docker-image: docker-conf docker-context
	$(PODMAN) build -f docker/Dockerfile --build-arg BASE=$(DOCKER_BASE) -t $(IMAGE) docker/target/context

# Needs the jar built with -Pcuda (make package MVN="mvn -B -Pcuda") and a registry with NVIDIA's CUDA images.
docker-image-gpu: docker-conf docker-context
	$(PODMAN) build -f docker/Dockerfile.gpu -t $(IMAGE_GPU) docker/target/context

# The compose cluster's S3 credentials: a secret key drawn once, in a file only you can read.
$(S3_ENV_FILE):
	@mkdir -p docker/target && umask 077 && key=$$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n') && \
	  printf 'MESM_S3_ACCESS_KEY=mesm\nMESM_S3_SECRET_KEY=%s\nAWS_ACCESS_KEY_ID=mesm\nAWS_SECRET_ACCESS_KEY=%s\n' $$key $$key > $@

docker-up: docker-conf $(S3_ENV_FILE)
	@$(PODMAN) image exists $(IMAGE) || $(MAKE) docker-image
	@$(PODMAN) container exists mesm-master || $(COMPOSE) up -d
	CONTAINERS_CONF=$(CONTAINERS_CONF_FILE) docker/wait-cluster.sh

docker-demo: docker-up
	CONTAINERS_CONF=$(CONTAINERS_CONF_FILE) docker/demo.sh

# podman-compose 1.0 leaves the project's network behind.
docker-down: docker-conf $(S3_ENV_FILE)
	$(COMPOSE) down -v
	-@$(PODMAN) network exists mesm_default && $(PODMAN) network rm mesm_default

docker-test: docker-conf
	$(MAKE) docker-base docker-image DOCKER_BASE=$(LOCAL_BASE)
	CONTAINERS_CONF=$(CONTAINERS_CONF_FILE) IMAGE=$(IMAGE) docker/test.sh

clean:
	$(MVN) -q clean
	rm -rf $(DEMO_OUT) $(BENCH_OUT) $(REPRO_OUT) docker/target
