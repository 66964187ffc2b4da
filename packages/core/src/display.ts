/** A label/value pair shown for a task in the dashboard and the demo's progress display. */
export type DisplayProperty = {
  label: string;
  text: string;
  url?: string;
};
