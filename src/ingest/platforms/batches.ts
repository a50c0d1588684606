/** Collects emitted items and hands them on in batches of a bounded size. */
import type { Emitted } from './types.js';

/** Items per batch an importer yields. */
export const BATCH_SIZE = 500;

/** A growing batch of emitted items: `push` them, and `take` a full batch (or the rest at the end). */
export class EmittedBatch {
  private items: Emitted[] = [];

  /** Adds one item. */
  push(item: Emitted): void {
    this.items.push(item);
  }

  /** True when a full batch is ready. */
  get full(): boolean {
    return this.items.length >= BATCH_SIZE;
  }

  /** True when nothing is waiting. */
  get empty(): boolean {
    return this.items.length === 0;
  }

  /** The items gathered so far, leaving the batch empty. */
  take(): Emitted[] {
    const out = this.items;
    this.items = [];
    return out;
  }
}
