namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>The HTML the test site serves: small pages, each exercising one kind of thing a real site does.</summary>
internal static class TestPages
{
    public const string LoginTitle = "Sign in";
    public const string WelcomeTitle = "Welcome";

    /// <summary>Labels, placeholders, test ids, alt texts, titles and roles, plus the controls every action needs.</summary>
    public const string Login = """
        <!doctype html>
        <html><head><title>Sign in</title>
        <style>body { margin: 0; font: 14px sans-serif; } .far { margin-top: 2000px; }</style></head>
        <body>
          <img src="/logo.svg" alt="Company logo" width="40" height="40">
          <h1 title="Login heading">Members area</h1>
          <form id="login" action="/welcome" method="post">
            <label for="user">Username</label>
            <input id="user" name="user" placeholder="Your name">
            <label>Password <input id="password" name="password" type="password"></label>
            <input id="email" name="email" type="email" placeholder="you@example.com" data-testid="email-input">
            <select id="country" name="country" aria-label="Country">
              <option value="fr">France</option><option value="de">Germany</option><option value="gb">United Kingdom</option>
            </select>
            <select id="languages" name="languages" multiple aria-label="Languages">
              <option value="en">English</option><option value="fr">French</option><option value="de">German</option>
            </select>
            <input type="checkbox" id="remember" name="remember" value="yes"><label for="remember">Remember me</label>
            <input type="checkbox" id="newsletter" name="newsletter" value="yes" checked><label for="newsletter">Newsletter</label>
            <button type="submit" title="Sign in now">Sign in</button>
          </form>
          <div id="hover-target" onmouseover="document.getElementById('hover-state').textContent = 'hovered'">Hover me</div>
          <span id="hover-state">idle</span>
          <input id="keys" aria-label="Key catcher" onkeydown="document.getElementById('last-key').textContent = event.key">
          <span id="last-key"></span>
          <textarea id="typed" aria-label="Typed text" oninput="document.getElementById('key-events').textContent = String(Number(document.getElementById('key-events').textContent) + 1)"></textarea>
          <span id="key-events">0</span>
          <p class="far" id="bottom">The bottom of the page</p>
        </body></html>
        """;

    /// <summary>The form's target; the greeting appears a little after load, as on script-heavy sites.</summary>
    public static string Welcome(string user, string country, bool remember) => $$"""
        <!doctype html>
        <html><head><title>{{WelcomeTitle}}</title></head>
        <body>
          <p id="facts" data-country="{{country}}" data-remember="{{(remember ? "yes" : "no")}}">Signed in</p>
          <script>
            setTimeout(() => {
              const p = document.createElement('p');
              p.id = 'greeting';
              p.textContent = 'Welcome, ' + {{System.Text.Json.JsonSerializer.Serialize(user)}} + '!';
              document.body.appendChild(p);
            }, 150);
          </script>
        </body></html>
        """;

    public const string Table = """
        <!doctype html>
        <html><head><title>Prices</title></head>
        <body>
          <table id="prices">
            <thead><tr><th>Product</th><th>Price</th></tr></thead>
            <tbody>
              <tr><td><a href="/products/apple">Apple</a></td><td class="price">1.20</td></tr>
              <tr><td><a href="/products/banana">Banana</a></td><td class="price">0.80</td></tr>
              <tr><td><a href="/products/cherry">Cherry</a></td><td class="price">4.50</td></tr>
            </tbody>
          </table>
          <ul><li class="item">One</li><li class="item">Two</li><li class="item" style="display:none">Hidden</li></ul>
          <div id="rich"><b>Bold</b> and <i>italic</i></div>
        </body></html>
        """;

    public const string Frame = """
        <!doctype html>
        <html><head><title>Outer</title></head>
        <body><p>Outside the frame</p><iframe id="inner" src="/frame-inner" width="300" height="150"></iframe></body></html>
        """;

    public const string FrameInner = """
        <!doctype html>
        <html><head><title>Inner</title></head>
        <body>
          <label for="code">Code</label><input id="code">
          <button onclick="document.getElementById('out').textContent = 'Code ' + document.getElementById('code').value">Apply</button>
          <p id="out">Inside the frame</p>
        </body></html>
        """;

    public const string Shadow = """
        <!doctype html>
        <html><head><title>Shadow</title></head>
        <body>
          <fancy-counter></fancy-counter>
          <script>
            customElements.define('fancy-counter', class extends HTMLElement {
              connectedCallback() {
                const root = this.attachShadow({ mode: 'open' });
                root.innerHTML = '<button id="inc">Increment</button><span id="count">0</span>';
                root.getElementById('inc').addEventListener('click', () => {
                  const count = root.getElementById('count');
                  count.textContent = String(Number(count.textContent) + 1);
                });
              }
            });
          </script>
        </body></html>
        """;

    /// <summary>Opens popups by link and by script; the job must stay here.</summary>
    public static string PopupOpener(string run) => $$"""
        <!doctype html>
        <html><head><title>Opener</title></head>
        <body>
          <a id="link" href="/popup-target?run={{run}}" target="_blank">Open in a new tab</a>
          <button id="open" onclick="window.open('/popup-target?run={{run}}&by=script'); document.getElementById('state').textContent = 'opened'">Open a window</button>
          <p id="state">ready</p>
        </body></html>
        """;

    public static string PopupTarget(string run) => $$"""
        <!doctype html>
        <html><head><title>Popup</title></head>
        <body><img src="/asset/popup-img.png?run={{run}}" alt="popup image"></body></html>
        """;

    public static string Late(int delayMs) => $$"""
        <!doctype html>
        <html><head><title>Late</title></head>
        <body>
          <p id="early">Early</p>
          <p id="spinner">Loading...</p>
          <script>
            setTimeout(() => {
              document.getElementById('spinner').remove();
              const p = document.createElement('p');
              p.id = 'late';
              p.textContent = 'Arrived late';
              document.body.appendChild(p);
            }, {{delayMs}});
          </script>
        </body></html>
        """;

    /// <summary>Five sections, each forced onto a page of its own when printed.</summary>
    public static readonly string Document = $$"""
        <!doctype html>
        <html><head><title>Report</title>
        <style>section { page-break-after: always; } section:last-child { page-break-after: auto; } .band { background: #c33; color: white; }</style></head>
        <body>{{string.Concat(Enumerable.Range(1, 5).Select(i => $"<section><h2 class=\"band\">Chapter {i}</h2><p>Text of chapter {i}.</p></section>"))}}</body></html>
        """;

    /// <summary>Images, a stylesheet with a web font and a background image, and a frame with an image of its own.</summary>
    public static string Assets(string run) => $$"""
        <!doctype html>
        <html><head><title>Assets</title>
        <link rel="stylesheet" href="/asset/style.css?run={{run}}"></head>
        <body>
          <p>Text in a web font</p>
          <img src="/asset/img.png?run={{run}}" alt="an image" width="10" height="10">
          <iframe src="/asset/frame.html?run={{run}}" width="100" height="50"></iframe>
        </body></html>
        """;

    public static string AssetStyle(string run) => $$"""
        @font-face { font-family: TestFont; src: url('/asset/font.woff2?run={{run}}') format('woff2'); }
        body { font-family: TestFont, sans-serif; background-image: url('/asset/bg.png?run={{run}}'); }
        """;

    public static string AssetFrame(string run) => $$"""
        <!doctype html>
        <html><body><img src="/asset/frame-img.png?run={{run}}" width="10" height="10"></body></html>
        """;

    /// <summary>What the page sees of its emulated device, written into the DOM so extract can read it.</summary>
    public const string Device = """
        <!doctype html>
        <html><head><title>Device</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body>
          <p id="ua"></p><p id="width"></p><p id="height"></p><p id="dpr"></p><p id="touch"></p>
          <p id="language"></p><p id="timezone"></p><p id="scheme"></p><p id="cookie"></p>
          <script>
            const set = (id, value) => document.getElementById(id).textContent = String(value);
            set('ua', navigator.userAgent);
            set('width', window.innerWidth);
            set('height', window.innerHeight);
            set('dpr', window.devicePixelRatio);
            set('touch', navigator.maxTouchPoints > 0);
            set('language', navigator.language);
            set('timezone', Intl.DateTimeFormat().resolvedOptions().timeZone);
            set('scheme', matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
            set('cookie', document.cookie);
          </script>
          <noscript><p id="noscript">JavaScript is off</p></noscript>
        </body></html>
        """;

    public const string Dialogs = """
        <!doctype html>
        <html><head><title>Dialogs</title></head>
        <body>
          <p id="answer">none</p>
          <button id="ask" onclick="document.getElementById('answer').textContent = confirm('Sure?') ? 'accepted' : 'dismissed'">Ask</button>
          <script>alert('Hello from the page');</script>
        </body></html>
        """;

    public const string Download = """
        <!doctype html>
        <html><head><title>Download</title></head>
        <body><a id="file" href="/download-file" download>Get the file</a><p id="after">still here</p></body></html>
        """;

    public const string Scroll = """
        <!doctype html>
        <html><head><title>Scroll</title><style>body { margin: 0; } #space { height: 3000px; width: 3000px; }</style></head>
        <body><div id="space"></div><p id="target">Far down</p></body></html>
        """;

    /// <summary>The smallest page worth a job, for bulk runs.</summary>
    public const string Tiny = "<!doctype html><html><head><title>Tiny</title></head><body><p id=\"t\">tiny</p></body></html>";

    /// <summary>A 1×1 transparent PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public const string Logo = """<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18" fill="#36c"/></svg>""";
}
