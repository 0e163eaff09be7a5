// The two exports of React's scheduler (the instance react-reconciler uses) that the key
// router needs; the package ships no types.
declare module 'scheduler' {
  export const unstable_NormalPriority: 3;
  export function unstable_scheduleCallback(priority: 3, callback: () => void): unknown;
}
