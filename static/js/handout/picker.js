// /handout: open the site this device used last, when the user may still work there.
import {registerWorker} from "./worker.js";

const last = localStorage.getItem("handout-last-site");
const link = last && document.querySelector(`#site-picker a[data-site="${CSS.escape(last)}"]`);
if (link) location.replace(link.href);
registerWorker();
