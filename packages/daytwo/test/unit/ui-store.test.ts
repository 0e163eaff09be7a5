import { describe, expect, it } from 'vitest';
import { createUiStore, currentView, NO_MODAL, uiEpoch } from '../../src/store/ui-store.js';

const EMPTY = { marked: new Set<string>(), scrollWish: 1 };

describe('the UI store', () => {
  it('pushes views on the Esc history once, and pops back to the first', () => {
    const ui = createUiStore('namespaces');
    ui.getState().showView('nodepools');
    ui.getState().showView('nodepools');
    ui.getState().showView('qos');
    expect(ui.getState().stack).toEqual(['namespaces', 'nodepools', 'qos']);
    expect(ui.getState().popView()).toBe(true);
    expect(ui.getState().popView()).toBe(true);
    expect(ui.getState().popView()).toBe(false);
    expect(currentView(ui.getState())).toBe('namespaces');
  });

  it('keeps a view\'s cursor when it is shown again, opens it in its first mode, and restores its mode on Esc back', () => {
    const ui = createUiStore('nodepools');
    ui.getState().updateTable('nodepools#0:table', EMPTY, (t) => ({ ...t, key: 'ng-old' }));
    ui.getState().setMode('nodepools#0:pool', 'ng-old');
    ui.getState().showView('logs');
    ui.getState().popView();
    expect(ui.getState().modes['nodepools#0:pool']).toBe('ng-old');
    ui.getState().showView('logs');
    ui.getState().showView('nodepools');
    expect(ui.getState().modes['nodepools#0:pool']).toBeUndefined();
    expect(ui.getState().tables['nodepools#0:table'].key).toBe('ng-old');
  });

  it('starts a view opened with new params afresh: new tables, new modes', () => {
    const ui = createUiStore('workloads');
    ui.getState().openView('rollback', { name: 'a' });
    ui.getState().updateTable('rollback#1:table', EMPTY, (t) => ({ ...t, key: '3' }));
    ui.getState().openView('rollback', { name: 'b' });
    expect(ui.getState().params.rollback).toEqual({ value: { name: 'b' }, seq: 2 });
    expect(ui.getState().tables).toEqual({});
    expect(ui.getState().stack).toEqual(['workloads', 'rollback']);
  });

  it('changes the epoch when the keyboard changes owner (view, modal, mode), not on cursor moves', () => {
    const ui = createUiStore('nodepools');
    const epochs = [uiEpoch(ui.getState())];
    ui.getState().updateTable('nodepools#0:table', EMPTY, (t) => ({ ...t, key: 'x' }));
    epochs.push(uiEpoch(ui.getState()));
    ui.getState().setMode('nodepools#0:pool', 'x');
    epochs.push(uiEpoch(ui.getState()));
    ui.getState().setModal({ type: 'help' });
    epochs.push(uiEpoch(ui.getState()));
    ui.getState().setModal(NO_MODAL);
    epochs.push(uiEpoch(ui.getState()));
    ui.getState().showView('qos');
    epochs.push(uiEpoch(ui.getState()));
    expect(epochs[1]).toBe(epochs[0]);
    expect(new Set(epochs.slice(1)).size).toBe(5);
  });
});
