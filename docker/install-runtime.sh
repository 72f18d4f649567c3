#!/bin/sh
# What both images (Dockerfile, Dockerfile.gpu) add to their base, in one place so that they
# cannot drift: a Java 17 runtime and nothing to build with, the user the product runs as, and
# the folders it writes to. Runs as root during the image build.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# unzip: the entrypoint lists the jobs in the jar. ca-certificates: S3 over TLS.
apt-get install -y -q --no-install-recommends openjdk-17-jre-headless bash unzip ca-certificates
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*
useradd --uid 10001 --user-group --create-home --home-dir /home/mesm --shell /usr/sbin/nologin mesm
# /data: the s3proxy service's objects and job mode's default working folder.
mkdir -p /data
chown mesm:mesm /data
