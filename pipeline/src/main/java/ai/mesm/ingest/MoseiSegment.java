package ai.mesm.ingest;

/** One clip of a CMU-MOSEI segmented transcript. */
public record MoseiSegment(String videoId, int clip, double startS, double endS, String text) {}
