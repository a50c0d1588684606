/** The outcome sampler's chain: what is fixed for a run (setup) and what each step updates (state). */
import type { Kernel, OutcomeInfluenceData } from './model.js';
/** What never changes during the chain: the data, the kernel, index structures and sizes. */
export interface ChainSetup {
  data: OutcomeInfluenceData;
  /** The current response kernel: kernelAt(state.kernelIx) (the τ move switches it; everything else is fixed). */
  kernel: Kernel;
  /** Kernel means the τ move visits (ms), the kernel of each (built once, on first use), and whether τ is learned. */
  kernelGrid: number[];
  kernelAt: (i: number) => Kernel;
  learnKernel: boolean;
  nb: number;
  np: number;
  na: number;
  nf: number;
  nc: number;
  blockBins: number;
  nBlocks: number;
  nDays: number;
  kappa: number;
  burn: number;
  totalOutcomes: number;
  /** Posts of each author (CSR). */
  authorPosts: { off: Int32Array; items: Int32Array };
  /** Tied outcomes per post (an account's entries spread over its candidate posts ∝ g), posts per framing, authors with a post. */
  clickedTotal: Float64Array;
  framingCount: Int32Array;
  authorsWithPosts: number;
  /** Tie kinds: how many, each entry's kind and account (the post's author, or the account a code names). */
  nk: number;
  tieKinds: string[];
  entryKind: Int32Array;
  entryAccount: Int32Array;
  /** Per kind: w learned per account (codes) rather than given; and which accounts' posts can carry the kind. */
  learned: boolean[];
  eligibleAccount: Uint8Array[];
  /** Bit mask of the kinds each post's caused outcomes can carry, and of the kinds a baseline outcome can carry per bin. */
  postMask: Int32Array;
  binMask: Int32Array;
  /** Tied entries of each author (CSR; in the order of the author's posts, then the entries tied to the account). */
  tiedByAuthor: { off: Int32Array; items: Int32Array };
  /** Index of each post among its author's posts. */
  authorPos: Int32Array;
  /** Slot of bin b in the repeating baseline shape, and its day. */
  slotOf: (b: number) => number;
  dayOf: (b: number) => number;
  /** The given baseline rate per bin when it is held fixed (no baseline draws; ridge moves leave μ in place). */
  fixedMu: Float64Array | undefined;
}

/** The chain's current state: every rate, every allocation and the step sizes, plus preallocated work space. */
export interface ChainState {
  /** Post effects β, author persuasion θ and on/off s, framing multipliers φ. */
  beta: Float64Array;
  theta: Float64Array;
  s: Uint8Array;
  phi: Float64Array;
  /** Baseline: weekly levels α, hour-of-week shape (shape[0] = 1), day effects ε and their precision ν. */
  alpha: Float64Array;
  shape: Float64Array;
  dayEffect: Float64Array;
  nu: number;
  /** Baseline rate μ_b and Σ_p β_p g_b(p) per bin (kept current where the steps say so). */
  mu: Float64Array;
  sumBeta: Float64Array;
  /** P(author on), the pooled rate b₀ and shape a₀ of θ's prior. */
  /** Per tie kind: P(tie | caused) π_k and P(tie | baseline, where possible) ω_k; per learned kind its share per account. */
  q: Float64Array;
  w: Float64Array;
  share: Float64Array[];
  /** Per learned kind: the Dirichlet concentration α of its shares. */
  shareConc: Float64Array;
  /** 1 − Σ π_k over the kinds each post can carry, and 1 − Σ ω_k over the kinds possible in each bin. */
  untiedPost: Float64Array;
  untiedBase: Float64Array;
  /** Σ_p (Σ_k π_k over p's kinds) β_p g_b(p) per bin: the caused rate that carries a tie (kept with sumBeta). */
  sumTied: Float64Array;
  rho: number;
  b0: number;
  a0: number;
  /** Index of the current kernel mean in kernelGrid. */
  kernelIx: number;
  /** Metropolis step sizes of the two ridge moves, tuned during burn-in. */
  ridgeStep: number;
  scaleStep: number;
  /** Allocations of this sweep: caused outcomes per post (and those with a click), baseline ones per bin. */
  caused: Float64Array;
  causedClicked: Float64Array;
  baseAlloc: Float64Array;
  baseClicked: Float64Array;
  /** Tied allocations of this sweep per kind (caused, baseline), and the baseline ones of learned kinds per account. */
  causedTiedKind: Float64Array;
  baseTiedKind: Float64Array;
  baseTiedAccount: Float64Array[];
  /** Work space. */
  refTied: Float64Array;
  sumTiedNew: Float64Array;
  refSum: Float64Array;
  sumBetaNew: Float64Array;
  muNew: Float64Array;
  dayNew: Float64Array;
  dayCount: Float64Array;
  dayExposure: Float64Array;
  slotCount: Float64Array;
  slotExposure: Float64Array;
  baseClickedExpected: Float64Array;
  cumBuf: Float64Array;
  proposalBuf: Float64Array;
  scratch: { delta: Float64Array; deltaTied: Float64Array; touched: Int32Array; mark: Uint8Array };
}
