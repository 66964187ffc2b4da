import { render } from "preact";

render(<main><h1>AutoFlow</h1></main>, document.getElementById("app") as HTMLElement);
