// The reference figures of ImageClassifierTest: nsfwjs's own prediction for three synthetic 224x224 images, computed
// by TensorFlow.js. Not part of the build; to run it:
//   npm install @tensorflow/tfjs@4.22.0 nsfwjs@4.4.0 && node nsfwjs-reference.js
const tf = require('@tensorflow/tfjs');
const nsfw = require('nsfwjs');
// deterministic synthetic RGB images, as uint8 arrays: three of 224x224 and one of 300x200, which nsfwjs resizes
function size(kind) { return kind === 3 ? [200, 300] : [224, 224]; }
function img(kind) {
  const [h, w] = size(kind);
  const a = new Uint8Array(h*w*3);
  for (let y=0;y<h;y++) for (let x=0;x<w;x++) {
    const i=(y*w+x)*3;
    if (kind===0) { a[i]=x; a[i+1]=y; a[i+2]=128; }
    else if (kind===1) { const d=Math.hypot(x-112,y-112); a[i]=d<60?230:20; a[i+1]=d<60?180:90; a[i+2]=d<60?150:200; }
    else if (kind===2) { a[i]=(x*7+y*3)%256; a[i+1]=(x*x+y)%256; a[i+2]=(x^y)%256; }
    else { a[i]=(x*3)%256; a[i+1]=(y*5)%256; a[i+2]=(x+y)%256; }
  }
  return a;
}
(async () => {
  await tf.setBackend('cpu');
  const model = await nsfw.load('MobileNetV2');
  for (let k=0;k<4;k++) {
    const a = img(k);
    const t = tf.tensor3d(a, [...size(k), 3], 'int32');
    const p = await model.infer(t).data();
    console.log(k, Array.from(p).map(v=>v.toFixed(7)).join(' '));
  }
})();
