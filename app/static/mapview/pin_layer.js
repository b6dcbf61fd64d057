/*
 * Mapa bezpečí – the fear-pin layer (see app/mapview/pins.py, which writes the data).
 *
 * L.mapaPinLayer(data, options) returns an L.MarkerClusterGroup of canvas circle markers.
 * data = {n, scale, lat, lon, cat, feel, categories, colours, feelings}:
 *   lat, lon, cat, feel – columns of n integers; every column is a string of zigzag varints,
 *     5 bits per character with bit 6 meaning "more characters follow", characters taken from
 *     the base64 alphabet. lat and lon are delta-coded integers of 1/scale degree.
 *   cat – index into categories (labels) and colours; feel – index into feelings (labels).
 * Popups are built only when a pin is clicked; cluster icons show the count and take the
 * colour of the most frequent category.
 */
(function () {
    "use strict";

    var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    var DIGIT = new Int8Array(128);
    for (var d = 0; d < ALPHABET.length; d++) {
        DIGIT[ALPHABET.charCodeAt(d)] = d;
    }

    function decodeColumn(text, n) {
        var out = new Int32Array(n), value = 0, shift = 0, k = 0;
        for (var i = 0; i < text.length; i++) {
            var digit = DIGIT[text.charCodeAt(i)];
            value |= (digit & 31) << shift;
            if (digit & 32) {
                shift += 5;
            } else {
                out[k++] = (value >>> 1) ^ -(value & 1);
                value = 0;
                shift = 0;
            }
        }
        if (k !== n) {
            throw new Error("mapaPinLayer: column holds " + k + " values, expected " + n);
        }
        return out;
    }

    function clusterIcon(data) {
        return function (cluster) {
            var markers = cluster.getAllChildMarkers();
            var counts = new Int32Array(data.categories.length), top = 0;
            for (var i = 0; i < markers.length; i++) {
                var c = markers[i].mapaCategory;
                counts[c] += 1;
                if (counts[c] > counts[top]) {
                    top = c;
                }
            }
            var colour = data.colours[top];
            var inner = document.createElement("div");
            inner.style.background = colour;
            inner.style.boxShadow = "0 0 0 5px " + colour + "66";
            inner.style.color = "#fff";
            inner.title = data.categories[top];
            var label = document.createElement("span");
            label.textContent = String(markers.length);
            inner.appendChild(label);
            return L.divIcon({
                html: inner,
                className: "marker-cluster mapa-pin-cluster",
                iconSize: L.point(40, 40)
            });
        };
    }

    function popupContent(data) {
        return function (marker) {
            var box = document.createElement("div");
            box.className = "mapa-pin-popup";
            var title = document.createElement("b");
            title.style.color = data.colours[marker.mapaCategory];
            title.textContent = data.categories[marker.mapaCategory];
            var feeling = document.createElement("div");
            feeling.textContent = data.feelings[marker.mapaFeeling];
            box.appendChild(title);
            box.appendChild(feeling);
            return box;
        };
    }

    L.mapaPinLayer = function (data, options) {
        var lat = decodeColumn(data.lat, data.n);
        var lon = decodeColumn(data.lon, data.n);
        var cat = decodeColumn(data.cat, data.n);
        var feel = decodeColumn(data.feel, data.n);
        var renderer = L.canvas({padding: 0.5});
        var styles = data.colours.map(function (colour) {
            return {renderer: renderer, radius: 7, weight: 1.5, color: "#fff",
                    fillColor: colour, fillOpacity: 0.9};
        });
        var markers = new Array(data.n), y = 0, x = 0;
        for (var i = 0; i < data.n; i++) {
            y += lat[i];
            x += lon[i];
            var marker = L.circleMarker([y / data.scale, x / data.scale], styles[cat[i]]);
            marker.mapaCategory = cat[i];
            marker.mapaFeeling = feel[i];
            markers[i] = marker;
        }
        var group = L.markerClusterGroup(L.extend({
            chunkedLoading: true,
            iconCreateFunction: clusterIcon(data)
        }, options));
        group.bindPopup(popupContent(data));
        group.addLayers(markers);
        return group;
    };
}());
