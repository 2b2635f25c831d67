// Count page: keep each item's counted total in step with its lot inputs as they are typed.
for (const input of document.querySelectorAll("input[data-item]")) {
  input.addEventListener("input", () => {
    const item = input.dataset.item;
    let total = 0;
    for (const other of document.querySelectorAll(`input[data-item="${item}"]`)) {
      const value = Number.parseInt(other.value, 10);
      if (Number.isFinite(value) && value > 0) total += value;
    }
    const output = document.querySelector(`output[data-total-for="${item}"]`);
    if (output) output.value = String(total);
  });
}
