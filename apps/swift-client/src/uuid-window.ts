/** The last `capacity` uuids seen, for de-duplication in constant memory (oldest forgotten first). */
export class UuidWindow {
  private readonly set = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(uuid: string): boolean {
    return this.set.has(uuid);
  }

  add(uuid: string): void {
    if (this.set.has(uuid)) return;
    this.set.add(uuid);
    if (this.set.size > this.capacity) {
      const oldest = this.set.values().next().value;
      if (oldest !== undefined) this.set.delete(oldest);
    }
  }
}
