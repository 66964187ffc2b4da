/**
 * @module
 * The dashboard's entry: the shell (session, header, router) renders the page the URL names; each page is a chunk
 * of its own, loaded when first visited.
 */
import { render } from "preact";
import { App } from "./app";
import "./styles.css";

render(<App />, document.getElementById("app") as HTMLElement);
