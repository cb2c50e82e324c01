import { describe, expect, it } from 'vitest';
import {
  applyInspectionResult,
  initialSwitchingState,
  parseSwitchingState,
  resumeAfterCorrectiveAction,
  type InspectionOutcome,
  type InspectionResult,
  type SwitchingState,
} from './switching-rules.js';
import { SwitchingStateConflictException } from './switching-state-conflict.exception.js';

// Lot 2000 at level II is code letter K. At AQL 1.0: normal 125 3/4 (0.65 one step tighter: 2/3),
// tightened 125 2/3, reduced 50 2/3 (ISO 2859-1:1999) or 50 1/4 (ANSI/ASQ Z1.4).
const LOT: Omit<InspectionResult, 'defectsFound'> = { lotSize: 2000, level: 'II', aql: 1 };
const ACCEPT = 0;
const REJECT = 9;

function run(start: SwitchingState, defects: readonly number[], extra: Partial<InspectionResult> = {}): InspectionOutcome[] {
  const outcomes: InspectionOutcome[] = [];
  let state = start;
  for (const defectsFound of defects) {
    const outcome = applyInspectionResult(state, { ...LOT, ...extra, defectsFound });
    outcomes.push(outcome);
    state = outcome.state;
  }
  return outcomes;
}

function last(outcomes: readonly InspectionOutcome[]): InspectionOutcome {
  return outcomes[outcomes.length - 1]!;
}

function stateAfter(start: SwitchingState, defects: readonly number[], extra: Partial<InspectionResult> = {}): SwitchingState {
  return last(run(start, defects, extra)).state;
}

const tightened = (): SwitchingState => stateAfter(initialSwitchingState(), [REJECT, REJECT]);
const reduced = (): SwitchingState => stateAfter(initialSwitchingState(), Array<number>(10).fill(ACCEPT), { productionSteady: true, reducedApproved: true });

describe('initialSwitchingState', () => {
  it('starts at normal inspection with a zero switching score', () => {
    expect(initialSwitchingState()).toEqual({ state: 'normal', recentResults: [], consecutiveAccepted: 0, switchingScore: 0, notAcceptedWhileTightened: 0 });
  });
});

describe('the verdict', () => {
  it('comes from the plan of the severity in force', () => {
    const onNormal = applyInspectionResult(initialSwitchingState(), { ...LOT, defectsFound: 3 });
    expect(onNormal).toMatchObject({ accepted: true, plan: { sampleSize: 125, ac: 3, re: 4 } });
    const onTightened = applyInspectionResult(tightened(), { ...LOT, defectsFound: 3 });
    expect(onTightened).toMatchObject({ accepted: false, plan: { sampleSize: 125, ac: 2, re: 3 } });
    const onReduced = applyInspectionResult(reduced(), { ...LOT, defectsFound: 3 });
    expect(onReduced).toMatchObject({ accepted: false, plan: { sampleSize: 50, ac: 2, re: 3 } });
  });
});

describe('normal → tightened (9.3.1)', () => {
  it('switches when two of five or fewer consecutive lots are not accepted', () => {
    const outcomes = run(initialSwitchingState(), [REJECT, ACCEPT, ACCEPT, ACCEPT, REJECT]);
    expect(outcomes.slice(0, 4).every((outcome) => outcome.state.state === 'normal' && outcome.transition === undefined)).toBe(true);
    expect(last(outcomes).transition).toEqual({ from: 'normal', to: 'tightened', reason: 'two of the last five lots not accepted' });
    expect(last(outcomes).state).toEqual({ state: 'tightened', recentResults: [], consecutiveAccepted: 0, switchingScore: 0, notAcceptedWhileTightened: 0 });
  });

  it('stays normal when the two lots not accepted are six lots apart', () => {
    const state = stateAfter(initialSwitchingState(), [REJECT, ACCEPT, ACCEPT, ACCEPT, ACCEPT, REJECT]);
    expect(state.state).toBe('normal');
    expect(state.recentResults).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'not-accepted']);
  });
});

describe('tightened → normal (9.3.2) and discontinuation (9.4)', () => {
  it('returns to normal after five consecutive lots accepted', () => {
    const outcomes = run(tightened(), [ACCEPT, ACCEPT, ACCEPT, ACCEPT, ACCEPT]);
    expect(outcomes[3]!.state).toMatchObject({ state: 'tightened', consecutiveAccepted: 4 });
    expect(last(outcomes).transition).toEqual({ from: 'tightened', to: 'normal', reason: 'five consecutive lots accepted on tightened inspection' });
    expect(last(outcomes).state).toEqual(initialSwitchingState());
  });

  it('counts acceptances afresh after a lot is not accepted', () => {
    const state = stateAfter(tightened(), [ACCEPT, ACCEPT, ACCEPT, ACCEPT, REJECT, ACCEPT, ACCEPT, ACCEPT, ACCEPT]);
    expect(state).toMatchObject({ state: 'tightened', consecutiveAccepted: 4, notAcceptedWhileTightened: 1 });
  });

  it('discontinues when five lots in all are not accepted on tightened inspection', () => {
    const outcomes = run(tightened(), [REJECT, ACCEPT, REJECT, REJECT, ACCEPT, ACCEPT, REJECT, REJECT]);
    expect(outcomes[6]!.state).toMatchObject({ state: 'tightened', notAcceptedWhileTightened: 4 });
    expect(last(outcomes).transition).toEqual({ from: 'tightened', to: 'discontinued', reason: 'five lots not accepted while on tightened inspection' });
    expect(last(outcomes).state).toMatchObject({ state: 'discontinued', notAcceptedWhileTightened: 5 });
  });

  it('takes no lot while discontinued, and resumes at tightened only after corrective action', () => {
    const discontinued = stateAfter(tightened(), Array<number>(5).fill(REJECT));
    expect(() => applyInspectionResult(discontinued, { ...LOT, defectsFound: 0 })).toThrow(SwitchingStateConflictException);
    expect(() => applyInspectionResult(discontinued, { ...LOT, defectsFound: 0 })).toThrow(/discontinued/);
    const resumed = resumeAfterCorrectiveAction(discontinued);
    expect(resumed).toEqual({ state: 'tightened', recentResults: [], consecutiveAccepted: 0, switchingScore: 0, notAcceptedWhileTightened: 0 });
    expect(applyInspectionResult(resumed, { ...LOT, defectsFound: 0 }).plan).toMatchObject({ ac: 2, re: 3 });
    try {
      resumeAfterCorrectiveAction(resumed);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SwitchingStateConflictException);
      expect((error as SwitchingStateConflictException).code).toBe('not-discontinued');
    }
  });
});

describe('the switching score (9.3.3.2)', () => {
  it('adds 3 per lot when Ac ≥ 2 and the lot would pass one AQL step tighter, else resets', () => {
    // Ac 3 at 1.0; at 0.65 the same 125 units allow 2.
    expect(stateAfter(initialSwitchingState(), [2, 0, 1]).switchingScore).toBe(9);
    // Three nonconforming: accepted at 1.0, but not at 0.65, so the score resets.
    const outcomes = run(initialSwitchingState(), [2, 0, 3]);
    expect(last(outcomes)).toMatchObject({ accepted: true, state: { state: 'normal', switchingScore: 0 } });
  });

  it('adds 2 per accepted lot when Ac is 0 or 1, and resets on a lot not accepted', () => {
    const atAql01 = { aql: 0.1 } as const; // K at 0.10: 125, 0/1
    expect(stateAfter(initialSwitchingState(), [0, 0, 0, 0], atAql01).switchingScore).toBe(8);
    expect(stateAfter(initialSwitchingState(), [0, 0, 0, 1], atAql01)).toMatchObject({ state: 'normal', switchingScore: 0 });
  });

  it('switches to reduced at 30 only with steady production and the responsible authority approving', () => {
    const tenGoodLots = Array<number>(10).fill(ACCEPT);
    expect(stateAfter(initialSwitchingState(), tenGoodLots)).toMatchObject({ state: 'normal', switchingScore: 30 });
    expect(stateAfter(initialSwitchingState(), tenGoodLots, { productionSteady: true })).toMatchObject({ state: 'normal', switchingScore: 30 });
    expect(stateAfter(initialSwitchingState(), tenGoodLots, { reducedApproved: true })).toMatchObject({ state: 'normal', switchingScore: 30 });

    const outcomes = run(initialSwitchingState(), tenGoodLots, { productionSteady: true, reducedApproved: true });
    expect(outcomes[8]!.state).toMatchObject({ state: 'normal', switchingScore: 27 });
    expect(last(outcomes).transition).toEqual({
      from: 'normal',
      to: 'reduced',
      reason: 'switching score reached 30, production steady and reduced inspection approved',
    });
    expect(last(outcomes).state.state).toBe('reduced');
  });

  it('lets a supplier already at 30 switch on the first lot the flags allow it', () => {
    const waiting = stateAfter(initialSwitchingState(), Array<number>(11).fill(ACCEPT));
    expect(waiting).toMatchObject({ state: 'normal', switchingScore: 33 });
    expect(applyInspectionResult(waiting, { ...LOT, defectsFound: 0, productionSteady: true, reducedApproved: true }).state.state).toBe('reduced');
  });
});

describe('reduced → normal (9.3.4)', () => {
  it('returns to normal when a lot is not accepted', () => {
    const outcome = applyInspectionResult(reduced(), { ...LOT, defectsFound: 3 });
    expect(outcome).toMatchObject({ accepted: false, transition: { from: 'reduced', to: 'normal', reason: 'a lot was not accepted on reduced inspection' } });
    expect(outcome.state).toEqual(initialSwitchingState());
  });

  it('stays reduced while lots are accepted and production is steady', () => {
    const outcomes = run(reduced(), [0, 2, 1], { productionSteady: true });
    expect(outcomes.every((outcome) => outcome.accepted && outcome.state.state === 'reduced' && outcome.transition === undefined)).toBe(true);
  });

  it('returns to normal when production is irregular or other conditions warrant it', () => {
    expect(applyInspectionResult(reduced(), { ...LOT, defectsFound: 0, productionSteady: false })).toMatchObject({
      accepted: true,
      transition: { to: 'normal', reason: 'production irregular or delayed' },
    });
    expect(applyInspectionResult(reduced(), { ...LOT, defectsFound: 0, reinstateNormal: true })).toMatchObject({
      accepted: true,
      transition: { to: 'normal', reason: 'other conditions warrant normal inspection' },
    });
  });

  it('with ANSI/ASQ Z1.4, accepts a lot between Ac and Re but returns to normal', () => {
    const z14 = { reducedVariant: 'ansi-asq-z1.4' } as const;
    const between = applyInspectionResult(reduced(), { ...LOT, ...z14, defectsFound: 2 });
    expect(between.plan).toMatchObject({ sampleSize: 50, ac: 1, re: 4 });
    expect(between).toMatchObject({ accepted: true, transition: { from: 'reduced', to: 'normal', reason: 'lot accepted with 2 nonconforming, between Ac 1 and Re 4' } });
    expect(applyInspectionResult(reduced(), { ...LOT, ...z14, defectsFound: 1 })).toMatchObject({ accepted: true, state: { state: 'reduced' } });
    expect(applyInspectionResult(reduced(), { ...LOT, ...z14, defectsFound: 4 })).toMatchObject({ accepted: false, transition: { to: 'normal' } });
  });
});

describe('the stored state', () => {
  it('survives a JSON round trip', () => {
    const state = stateAfter(initialSwitchingState(), [ACCEPT, REJECT, ACCEPT]);
    const stored: unknown = JSON.parse(JSON.stringify(state));
    expect(parseSwitchingState(stored)).toEqual(state);
    expect(applyInspectionResult(stored as SwitchingState, { ...LOT, defectsFound: REJECT }).state.state).toBe('tightened');
  });

  it.each([
    [null, /must be an object/],
    [{ ...initialSwitchingState(), state: 'lenient' }, /unknown state lenient/],
    [{ ...initialSwitchingState(), recentResults: ['accepted', 'maybe'] }, /recentResults/],
    [{ ...initialSwitchingState(), recentResults: Array(6).fill('accepted') }, /recentResults/],
    [{ ...initialSwitchingState(), consecutiveAccepted: 5 }, /consecutiveAccepted/],
    [{ ...initialSwitchingState(), switchingScore: -3 }, /switchingScore/],
    [{ ...initialSwitchingState(), notAcceptedWhileTightened: 1.5 }, /notAcceptedWhileTightened/],
  ])('rejects a malformed state %o with a TypeError', (value, message) => {
    expect(() => parseSwitchingState(value)).toThrow(TypeError);
    expect(() => parseSwitchingState(value)).toThrow(message);
  });

  it('rejects bad lot input with a RangeError', () => {
    expect(() => applyInspectionResult(initialSwitchingState(), { ...LOT, defectsFound: -1 })).toThrow(RangeError);
    expect(() => applyInspectionResult(initialSwitchingState(), { ...LOT, defectsFound: 0.5 })).toThrow(/defectsFound must be a non-negative integer/);
    expect(() => applyInspectionResult(initialSwitchingState(), { ...LOT, lotSize: 1, defectsFound: 0 })).toThrow(RangeError);
  });
});
