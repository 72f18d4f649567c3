package ai.mesm.ingest;

/** One line of an IEMOCAP transcription: utterance id, time window in seconds, spoken text. */
public record TranscriptLine(String utteranceId, double startS, double endS, String text) {}
