/**
 * Checkpoints as the scaffolder's workflow runner keeps them across a task's attempts: a
 * successful checkpoint's value is stored as JSON and replayed on retry, a failed one is not.
 */
export class CheckpointStore {
  private readonly values = new Map<string, string>();
  /** Keys whose function actually ran, in order, over all attempts. */
  readonly ran: string[] = [];

  readonly checkpoint = async <T>(opts: {
    key: string;
    fn: () => Promise<T> | T;
  }): Promise<T> => {
    const stored = this.values.get(opts.key);
    if (stored !== undefined) return JSON.parse(stored);
    this.ran.push(opts.key);
    const value = await opts.fn();
    this.values.set(opts.key, JSON.stringify(value ?? {}));
    return value;
  };

  has(key: string): boolean {
    return this.values.has(key);
  }
}
