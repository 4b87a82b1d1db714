/** Where an engine keeps its images: its own (classic) store, or containerd's (Docker 28 with containerd-snapshotter; 29's default). */
export type ImageStore = 'classic' | 'containerd';

/** The store `docker info`'s DriverStatus names: the containerd store reports the driver type `io.containerd.snapshotter.v1`. */
export function imageStoreOf(driverStatus: string[][] | undefined): ImageStore {
  return (driverStatus ?? []).some(([key, value]) => key === 'driver-type' && value === 'io.containerd.snapshotter.v1') ? 'containerd' : 'classic';
}
