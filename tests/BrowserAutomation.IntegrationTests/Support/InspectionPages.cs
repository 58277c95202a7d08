namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>Pages for extraction, assertions and forensics: form state, product records, tables, late text, console output.</summary>
internal static class InspectionPages
{
    public const string Title = "Shop inventory";

    public const string Inventory = """
        <!doctype html>
        <html><head><title>Shop inventory</title></head>
        <body>
          <h1 id="heading">  Shop
             inventory </h1>
          <p id="status">Loading</p>
          <label><input type="checkbox" id="agree" data-kind="consent"> I agree</label>
          <input id="qty" value="1">
          <input id="locked" disabled value="fixed">
          <input id="readonly" readonly value="read">
          <p id="secret" style="display:none">hidden text</p>
          <div class="product" data-id="1"><span class="name">Apple</span><span class="price">1.20</span><a href="/p/apple">more</a></div>
          <div class="product" data-id="2"><span class="name">Banana</span><span class="price">0.80</span><a href="/p/banana">more</a></div>
          <div class="product" data-id="3"><span class="name">Cherry</span><a href="/p/cherry">more</a></div>
          <table id="stock">
            <thead><tr><th>Product</th><th>Count</th><th>Count</th></tr></thead>
            <tbody><tr><td>Apple</td><td>3</td><td>4</td></tr><tr><td>Banana</td><td>0</td><td>1</td></tr></tbody>
          </table>
          <table id="plain"><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>
          <script>
            console.log('inventory ready');
            console.warn('stock low');
            setTimeout(() => { document.getElementById('status').textContent = 'Ready'; }, 300);
            setTimeout(() => { throw new Error('inventory exploded'); }, 0);
          </script>
        </body></html>
        """;
}
