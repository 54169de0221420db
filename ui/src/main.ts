import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { startup } from "./lib/firstList";

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app");

startup.mount = performance.now();
const app = mount(App, { target });
startup.mounted = performance.now();
export default app;
