package dev.shoal.it.volume;

/** Volumes on the embedded engine, kept in a local directory. */
class EmbeddedVolumeTest extends VolumeMountContract {}
