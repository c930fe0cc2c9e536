import type { z } from 'zod';
import type { Functionality, SystemId } from '../connectors/kit/types';
import type * as workflows from '../workflows';
import type { RunCounts } from '../workflows/control';
import type { KindCheck, KindCheckContext } from './checks';

/** A workflow exported by workflows/index.ts (what the worker registers): a misspelled or unregistered one does not compile. */
export type WorkflowName = keyof typeof workflows;

/**
 * Everything the service knows of a kind of integration, in one place: the API validates and
 * checks its config, the hub's toggles read what it uses, the status speaks its words, and the
 * worker runs its workflow.
 */
export interface KindDefinition {
  kind: string;
  description: string;
  source: readonly SystemId[];
  target: readonly SystemId[];
  config: z.ZodType<Record<string, unknown>>;
  /**
   * Gives ids to the entries of the config's lists (automations, actions) that the client sent
   * without one; `saved` is the config saved before (null on create), whose ids an unchanged entry
   * keeps. Runs in the API before the schema.
   */
  withIds?(config: Record<string, unknown>, saved: Record<string, unknown> | null): Record<string, unknown>;
  /** Config keys that can never change after creation. */
  immutable: readonly string[];
  /** Checks against the accounts themselves before saving (does the folder, the column, the project exist?). */
  check?: KindCheck;
  /**
   * Where "new" starts, fixed when the user saves (the sheet's last row, a trigger's cursor, the
   * CRM's change time): read by the API and stored with the integration in the same insert, so
   * what changes between the 201 and the first poll is new, not swept into the first pass. Null:
   * nothing to fix. On a config change `saved` holds the config and boundary saved before: what
   * started then keeps its place, and only what the change starts anew (an automation added, a
   * trigger replaced) gets a boundary of this moment.
   */
  boundary?(config: Record<string, unknown>, ctx: KindCheckContext, saved?: SavedBoundary): Promise<unknown>;
  /** Which functionalities of its source and target accounts an integration uses (the hub's toggles). */
  uses(config: Record<string, unknown>, systems: { source: SystemId; target: SystemId }): { source: readonly Functionality[]; target: readonly Functionality[] };
  /** What each of the status counts means for this kind, in its users' words (shown beside the counts). */
  counts: Record<keyof RunCounts, string>;
  /** What deleting an integration of this kind also deletes, when the user should confirm it first. */
  deletes?(config: Record<string, unknown>): string | null;
  /**
   * The integration whose every completed run starts a run of this one, if the config names one:
   * saved beside the config as integrations.runs_after, where the completed run finds its dependents.
   */
  runsAfter?(config: Record<string, unknown>): string | null;
  /**
   * What providers send back to this service at PUBLIC_URL, and what goes wrong when they cannot
   * reach it: creating one outside the all-in-one dev mode needs a public https PUBLIC_URL.
   */
  callbacks?: string;
  /** Its workflow, by the name the worker registers it under. */
  workflow: WorkflowName;
}

/** What an integration had saved before a config change: its config and its boundary. */
export interface SavedBoundary {
  config: Record<string, unknown>;
  boundary: unknown;
}

export const defineKind = <K extends KindDefinition>(kind: K): K => kind;
