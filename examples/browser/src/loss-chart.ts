import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** D's and G's losses against the step, appended live. */
export class LossChart {
  readonly #data: [number[], number[], number[]] = [[], [], []];
  readonly #plot: uPlot;

  constructor(element: HTMLElement) {
    this.#plot = new uPlot(
      {
        width: 480,
        height: 260,
        scales: { x: { time: false } },
        series: [{ label: 'step' }, { label: 'D loss', stroke: '#c0392b' }, { label: 'G loss', stroke: '#2471a3' }],
      },
      this.#data,
      element,
    );
  }

  add(step: number, dLoss: number, gLoss: number): void {
    this.#data[0].push(step);
    this.#data[1].push(dLoss);
    this.#data[2].push(gLoss);
    this.#plot.setData(this.#data);
  }

  clear(): void {
    for (const series of this.#data) series.length = 0;
    this.#plot.setData(this.#data);
  }
}
